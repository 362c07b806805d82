//! A list response of many clients, shared by `tests/large_lists.rs` and
//! `benches/list.rs` (each includes this file as a module of its own).

/// A list body of `n` clients shaped like the vendor's example, each with its
/// own id.
pub fn list_body(n: usize) -> String {
    let mut body = String::with_capacity(n * 420 + 2);
    body.push('[');
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"{i:032}","type":"individual","status":"active","first_name":"Maria","second_name":"Julia","last_name":"Barber","email":"mjuliabarber@example.com","birth_date":"1984-11-21","address":{{"street_line1":"Florida 9860","city":"Del Viso","postal_code":"1669","state":"ARG-B","country":"ARG"}},"created_at":"2026-04-15T10:30:00","updated_at":"2026-04-15T10:30:00"}}"#
        ));
    }
    body.push(']');
    body
}
