//! progenitor's docs of each operation's method carry a usage sketch fenced
//! as ```` ```ignore ````, which rustdoc would count as an ignored doctest
//! (the project has none: README examples are `no_run`); it is a sketch, so
//! its fence says `text`. One per operation, and none may be left.

use syn::visit_mut::VisitMut;

use super::super::facts::Facts;

const IGNORED: &str = "```ignore";
const TEXT: &str = "```text";

#[derive(Default)]
struct Fences(usize);

impl VisitMut for Fences {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            return;
        };
        if !doc.path.is_ident("doc") {
            return;
        }
        if let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        {
            let value = text.value();
            let n = value.matches(IGNORED).count();
            if n > 0 {
                *text = syn::LitStr::new(&value.replace(IGNORED, TEXT), text.span());
                self.0 += n;
            }
        }
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let mut fences = Fences::default();
    fences.visit_file_mut(file);
    if fences.0 != facts.operations.len() {
        return Err(format!(
            "expected one `{IGNORED}` fence in the docs of each of the {} operations' methods, \
             found {}",
            facts.operations.len(),
            fences.0
        ));
    }
    Ok(())
}
