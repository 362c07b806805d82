//! The mock's built-in tables: the requirement catalogue each product starts
//! with, the supported countries, the identification types by country, and
//! the check of an uploaded image.

use base64::Engine;
use serde_json::{Value, json};

use crate::types::{
    DataField, DataRequirement, DocumentRequirement, MetadataField, MissingRequirements,
    ValidDocument,
};

/// The products the mock knows: the spec's `Subproduct` values.
pub(crate) const SUBPRODUCTS: [&str; 3] = ["cards_individuals", "ramps_cards", "ramps_pix"];

/// The requirements of the onboarding guide's example, which every product of
/// the mock starts with: the client's phone (data requirement
/// `personal_information`, field `phone` of type `PHONE`) and a passport with
/// its number (document requirement `identity_document`, document `passport`,
/// metadata `number` of type `STRING`), both required. The vendor publishes
/// no catalogue per product; [`MockServer::set_requirements`] sets another.
///
/// [`MockServer::set_requirements`]: crate::mock::MockServer::set_requirements
pub fn guide_requirements() -> MissingRequirements {
    MissingRequirements {
        data: vec![DataRequirement {
            id: Some("personal_information".into()),
            name: Some("Personal information".into()),
            description: Some("Personal information needed for KYC".into()),
            required: Some(true),
            fields: vec![DataField {
                key: Some("phone".into()),
                data_type: Some("PHONE".into()),
                required: Some(true),
            }],
        }],
        documents: vec![DocumentRequirement {
            id: Some("identity_document".into()),
            name: Some("Identity document".into()),
            description: Some("A valid government-issued identity document".into()),
            required: Some(true),
            valid_documents: vec![ValidDocument {
                id: Some("passport".into()),
                name: Some("Passport".into()),
                description: Some("A valid passport".into()),
                required: Some(true),
                require_image: Some(true),
                require_back_image: Some(false),
                metadata: vec![MetadataField {
                    id: Some("number".into()),
                    name: Some("Document Number".into()),
                    data_type: Some("STRING".into()),
                    required: Some(true),
                }],
            }],
        }],
    }
}

/// The supported countries. The vendor's page shows the United States with
/// California; the onboarding guide's client lives in Argentina (`ARG`,
/// state `ARG-B`). The other rows are the mock's own, with real ISO codes.
pub(crate) fn countries() -> Value {
    let data = json!([
        {
            "name": "Argentina", "alpha3": "ARG", "postal_code_format": "####",
            "subdivisions": [
                {"name": "Buenos Aires", "code": "B"},
                {"name": "Ciudad Autónoma de Buenos Aires", "code": "C"},
                {"name": "Córdoba", "code": "X"}
            ]
        },
        {
            "name": "Brazil", "alpha3": "BRA", "postal_code_format": "#####-###",
            "subdivisions": [
                {"name": "São Paulo", "code": "SP"},
                {"name": "Rio de Janeiro", "code": "RJ"}
            ]
        },
        {
            "name": "Mexico", "alpha3": "MEX", "postal_code_format": "#####",
            "subdivisions": [
                {"name": "Ciudad de México", "code": "CMX"},
                {"name": "Jalisco", "code": "JAL"}
            ]
        },
        {
            "name": "United States", "alpha3": "USA", "postal_code_format": "#####",
            "subdivisions": [
                {"name": "California", "code": "CA"},
                {"name": "New York", "code": "NY"},
                {"name": "Texas", "code": "TX"}
            ]
        }
    ]);
    let count = data.as_array().map_or(0, Vec::len);
    json!({"count": count, "data": data})
}

/// A country's identification types: `(alpha-2, alpha-3, [(type,
/// description)])`.
type IdentificationRow = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The identification types by country. The United States' SSN is the
/// vendor's page's example; the other rows are the mock's own.
const IDENTIFICATIONS: &[IdentificationRow] = &[
    (
        "AR",
        "ARG",
        &[
            ("DNI", "Documento Nacional de Identidad"),
            ("CUIL", "Código Único de Identificación Laboral"),
        ],
    ),
    ("BR", "BRA", &[("CPF", "Cadastro de Pessoas Físicas")]),
    (
        "MX",
        "MEX",
        &[
            ("CURP", "Clave Única de Registro de Población"),
            ("RFC", "Registro Federal de Contribuyentes"),
        ],
    ),
    ("US", "USA", &[("SSN", "Social Security Number")]),
];

/// The identification types of `code`, an ISO 3166-1 alpha-2 code as on the
/// vendor's page (`US`) or the alpha-3 code the rest of the API uses (`USA`),
/// in any case; `None` for a country the table does not have.
pub(crate) fn identifications(code: &str) -> Option<Value> {
    IDENTIFICATIONS
        .iter()
        .find(|(alpha2, alpha3, _)| {
            code.eq_ignore_ascii_case(alpha2) || code.eq_ignore_ascii_case(alpha3)
        })
        .map(|(_, _, types)| {
            types
                .iter()
                .map(|(ty, description)| json!({"type": ty, "description": description}))
                .collect()
        })
}

/// The largest image the vendor processes: 10 MB.
pub(crate) const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Why `image` (the `field` of an upload) would not be processed, or `None`
/// when it is a base64 data URL of a JPG or PNG image of at most 10 MB. The
/// reason names the field and the rule, never the content.
pub(crate) fn image_problem(field: &str, image: &str) -> Option<String> {
    let Some((media_type, data)) = image
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"))
    else {
        return Some(format!(
            "{field} is not a base64 data URL (data:image/jpeg;base64,… or data:image/png;base64,…)"
        ));
    };
    let media_type = media_type.to_ascii_lowercase();
    if !matches!(
        media_type.as_str(),
        "image/jpeg" | "image/jpg" | "image/png"
    ) {
        return Some(format!(
            "{field} is of type {media_type}; only JPG and PNG images are processed"
        ));
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data.trim()) else {
        return Some(format!(
            "{field} is not valid base64 (a shortened or cut example is not an image)"
        ));
    };
    if bytes.len() > MAX_IMAGE_BYTES {
        return Some(format!("{field} is over 10 MB"));
    }
    let jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    let png = bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    if !(jpeg || png) {
        return Some(format!("{field} is not a JPG or PNG image"));
    }
    None
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::{MAX_IMAGE_BYTES, image_problem};

    fn data_url(media_type: &str, bytes: &[u8]) -> String {
        format!(
            "data:{media_type};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn an_image_is_a_base64_data_url_of_a_jpg_or_png_of_at_most_10_mb() {
        let png = b"\x89PNG\r\n\x1a\n rest of the image";
        let jpeg = b"\xFF\xD8\xFF\xE0 rest of the image";
        assert_eq!(
            image_problem("image_front", &data_url("image/png", png)),
            None
        );
        assert_eq!(
            image_problem("image_front", &data_url("image/jpeg", jpeg)),
            None
        );
        assert_eq!(
            image_problem("image_back", &data_url("IMAGE/JPG", jpeg)),
            None
        );

        let mut large = png.to_vec();
        large.resize(MAX_IMAGE_BYTES, 0);
        assert_eq!(
            image_problem("image_front", &data_url("image/png", &large)),
            None
        );
        large.push(0);
        let cases = [
            (data_url("image/png", &large), "image_front is over 10 MB"),
            (data_url("image/heic", png), "is of type image/heic"),
            (
                data_url("image/png", b"%PDF-1.7"),
                "is not a JPG or PNG image",
            ),
            (
                "data:image/png;base64,iVBOR...".to_string(),
                "is not valid base64",
            ),
            ("iVBORw0KGgo=".to_string(), "is not a base64 data URL"),
            (
                "data:image/png,iVBORw0KGgo=".to_string(),
                "is not a base64 data URL",
            ),
        ];
        for (image, says) in cases {
            let problem = image_problem("image_front", &image).expect("a problem");
            assert!(problem.contains(says), "{problem:?} should say {says:?}");
            assert!(problem.starts_with("image_front "), "{problem}");
            assert!(!problem.contains("iVBOR"), "{problem} quotes the image");
        }
    }
}
