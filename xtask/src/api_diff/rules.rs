//! The oasdiff checker rules api-diff answers: each rule id with the change
//! kind that covers it, the wire verdict api-diff gives, and the case of
//! `xtask/tests/api_diff_rules.rs` that holds it (a spec pair modelled on the
//! rule). `xtask/API-DIFF.md` shows this table; a test holds the two equal.
//!
//! The ids are those of oasdiff's `checker/rules.go`. api-diff is stricter
//! than oasdiff where a change breaks a caller that oasdiff only mentions (a
//! new success status, a security requirement added); `note` says why for
//! every row judged otherwise than oasdiff's level.
//!
//! Not for: rules of OpenAPI 3.1 keywords (`const`, `if`, `prefixItems`, …) or
//! of extensions this project does not use (`x-sunset`, `x-stability-level`):
//! a change of a keyword api-diff does not judge is a `schema-changed` that
//! breaks both sides (`unjudged_keyword`), which covers them without a row
//! each.

use super::Kind;

/// One oasdiff rule and how api-diff answers it.
pub struct Rule {
    pub id: &'static str,
    pub kind: Kind,
    /// The wire verdict on the rule's side.
    pub breaking: bool,
    /// The case of `xtask/tests/api_diff_rules.rs`.
    pub case: &'static str,
    /// Why api-diff's verdict differs from oasdiff's level, or "".
    pub note: &'static str,
}

const fn rule(id: &'static str, kind: Kind, breaking: bool, case: &'static str) -> Rule {
    Rule {
        id,
        kind,
        breaking,
        case,
        note: "",
    }
}

const fn differs(
    id: &'static str,
    kind: Kind,
    breaking: bool,
    case: &'static str,
    note: &'static str,
) -> Rule {
    Rule {
        id,
        kind,
        breaking,
        case,
        note,
    }
}

/// Whether api-diff names this oasdiff rule id.
pub fn known(id: &str) -> bool {
    RULES.iter().any(|r| r.id == id)
}

use Kind as K;

pub const RULES: &[Rule] = &[
    // Paths and operations.
    rule(
        "api-path-removed-without-deprecation",
        K::PathRemoved,
        true,
        "path_removed",
    ),
    differs(
        "api-path-removed-with-deprecation",
        K::PathRemoved,
        true,
        "deprecated_path_removed",
        "oasdiff: INFO. A deprecated path removed still fails every caller that has not moved yet",
    ),
    rule(
        "api-removed-without-deprecation",
        K::OperationRemoved,
        true,
        "operation_removed",
    ),
    differs(
        "api-removed-with-deprecation",
        K::OperationRemoved,
        true,
        "deprecated_operation_removed",
        "oasdiff: INFO. Same as a deprecated path",
    ),
    rule(
        "endpoint-added",
        K::OperationAdded,
        false,
        "operation_added",
    ),
    rule(
        "endpoint-deprecated",
        K::DeprecationChanged,
        false,
        "operation_deprecated",
    ),
    rule(
        "api-operation-id-removed",
        K::OperationIdChanged,
        false,
        "operation_id_changed",
    ),
    rule("api-tag-added", K::TagsChanged, false, "tag_added"),
    rule("api-tag-removed", K::TagsChanged, false, "tag_removed"),
    // Parameters, declared on the operation or on the path item.
    rule(
        "new-required-request-parameter",
        K::ParameterAdded,
        true,
        "required_query_parameter_added",
    ),
    rule(
        "new-required-request-default-parameter-to-existing-path",
        K::ParameterAdded,
        true,
        "required_path_level_parameter_added",
    ),
    rule(
        "new-optional-request-parameter",
        K::ParameterAdded,
        false,
        "optional_parameter_added",
    ),
    differs(
        "request-parameter-removed",
        K::ParameterRemoved,
        true,
        "parameter_removed",
        "oasdiff: WARN. A caller that sends it sends what the server no longer reads; the generated builder loses its setter",
    ),
    rule(
        "request-parameter-became-required",
        K::RequiredChanged,
        true,
        "path_level_parameter_became_required",
    ),
    rule(
        "request-parameter-became-optional",
        K::RequiredChanged,
        false,
        "parameter_became_optional",
    ),
    rule(
        "request-parameter-type-changed",
        K::TypeChanged,
        true,
        "parameter_type_changed",
    ),
    rule(
        "request-parameter-became-enum",
        K::BecameEnum,
        true,
        "parameter_became_enum",
    ),
    rule(
        "request-parameter-enum-value-removed",
        K::EnumValueRemoved,
        true,
        "parameter_enum_value_removed",
    ),
    rule(
        "request-parameter-x-extensible-enum-value-removed",
        K::EnumValueRemoved,
        true,
        "parameter_extensible_enum_value_removed",
    ),
    rule(
        "request-parameter-max-length-decreased",
        K::ConstraintChanged,
        true,
        "parameter_max_length_decreased",
    ),
    rule(
        "request-parameter-min-length-increased",
        K::ConstraintChanged,
        true,
        "parameter_min_length_increased",
    ),
    rule(
        "request-parameter-max-decreased",
        K::ConstraintChanged,
        true,
        "parameter_maximum_decreased",
    ),
    rule(
        "request-parameter-min-increased",
        K::ConstraintChanged,
        true,
        "parameter_minimum_increased",
    ),
    rule(
        "request-parameter-exclusive-max-decreased",
        K::ConstraintChanged,
        true,
        "parameter_exclusive_maximum_set",
    ),
    rule(
        "request-parameter-exclusive-min-increased",
        K::ConstraintChanged,
        true,
        "parameter_exclusive_minimum_set",
    ),
    rule(
        "request-parameter-max-items-decreased",
        K::ConstraintChanged,
        true,
        "parameter_max_items_decreased",
    ),
    rule(
        "request-parameter-min-items-increased",
        K::ConstraintChanged,
        true,
        "parameter_min_items_increased",
    ),
    rule(
        "request-parameter-pattern-added",
        K::ConstraintChanged,
        true,
        "parameter_pattern_added",
    ),
    rule(
        "request-parameter-default-value-changed",
        K::DefaultChanged,
        true,
        "parameter_default_changed",
    ),
    rule(
        "request-parameter-default-value-added",
        K::DefaultChanged,
        true,
        "parameter_default_added",
    ),
    rule(
        "request-parameter-default-value-removed",
        K::DefaultChanged,
        true,
        "parameter_default_removed",
    ),
    rule(
        "request-parameter-became-not-nullable",
        K::NullableChanged,
        true,
        "parameter_became_not_nullable",
    ),
    rule(
        "request-parameter-deprecated",
        K::DeprecationChanged,
        false,
        "parameter_deprecated",
    ),
    // Request bodies.
    rule(
        "request-body-added-required",
        K::RequestBodyAdded,
        true,
        "required_body_added",
    ),
    rule(
        "request-body-removed",
        K::RequestBodyRemoved,
        true,
        "body_removed",
    ),
    rule(
        "request-body-became-required",
        K::RequiredChanged,
        true,
        "body_became_required",
    ),
    rule(
        "request-body-media-type-removed",
        K::MediaTypeRemoved,
        true,
        "request_media_type_removed",
    ),
    rule(
        "request-body-media-type-added",
        K::MediaTypeAdded,
        false,
        "request_media_type_added",
    ),
    rule(
        "request-body-media-type-schema-added",
        K::SchemaChanged,
        true,
        "request_media_type_schema_added",
    ),
    rule(
        "request-body-became-enum",
        K::BecameEnum,
        true,
        "body_became_enum",
    ),
    rule(
        "request-body-type-changed",
        K::TypeChanged,
        true,
        "body_type_changed",
    ),
    // Request properties, at any depth.
    rule(
        "request-property-max-length-decreased",
        K::ConstraintChanged,
        true,
        "property_max_length_decreased",
    ),
    rule(
        "request-property-min-length-increased",
        K::ConstraintChanged,
        true,
        "property_min_length_increased",
    ),
    rule(
        "request-property-max-decreased",
        K::ConstraintChanged,
        true,
        "property_maximum_decreased",
    ),
    rule(
        "request-property-min-increased",
        K::ConstraintChanged,
        true,
        "property_minimum_increased",
    ),
    rule(
        "request-property-exclusive-max-decreased",
        K::ConstraintChanged,
        true,
        "property_exclusive_maximum_set",
    ),
    rule(
        "request-property-exclusive-min-increased",
        K::ConstraintChanged,
        true,
        "property_exclusive_minimum_set",
    ),
    rule(
        "request-property-min-items-increased",
        K::ConstraintChanged,
        true,
        "property_min_items_increased",
    ),
    rule(
        "request-property-pattern-added",
        K::ConstraintChanged,
        true,
        "property_pattern_added",
    ),
    differs(
        "request-property-pattern-changed",
        K::ConstraintChanged,
        true,
        "property_pattern_changed",
        "oasdiff: WARN. Two patterns cannot be compared: values the old one allowed may be rejected",
    ),
    differs(
        "request-property-max-length-increased",
        K::ConstraintChanged,
        false,
        "property_max_length_increased",
        "a looser request limit: every value sent before is still accepted",
    ),
    rule(
        "request-property-became-enum",
        K::BecameEnum,
        true,
        "property_became_enum",
    ),
    rule(
        "request-property-enum-value-removed",
        K::EnumValueRemoved,
        true,
        "property_enum_value_removed",
    ),
    rule(
        "request-property-enum-value-added",
        K::EnumValueAdded,
        false,
        "property_enum_value_added",
    ),
    rule(
        "request-property-x-extensible-enum-value-removed",
        K::EnumValueRemoved,
        true,
        "property_extensible_enum_value_removed",
    ),
    rule(
        "request-property-became-not-nullable",
        K::NullableChanged,
        true,
        "property_became_not_nullable",
    ),
    rule(
        "request-property-became-required",
        K::RequiredChanged,
        true,
        "property_became_required",
    ),
    rule(
        "request-property-became-optional",
        K::RequiredChanged,
        false,
        "property_became_optional",
    ),
    rule(
        "new-required-request-property",
        K::FieldAdded,
        true,
        "required_property_added",
    ),
    rule(
        "new-optional-request-property",
        K::FieldAdded,
        false,
        "optional_property_added",
    ),
    differs(
        "request-property-removed",
        K::FieldRemoved,
        true,
        "property_removed_from_closed_request",
        "oasdiff: WARN. The request objects are closed (additionalProperties: false): a writer that still sends it is rejected",
    ),
    rule(
        "request-property-type-changed",
        K::TypeChanged,
        true,
        "property_type_changed",
    ),
    rule(
        "request-property-all-of-added",
        K::MemberAdded,
        true,
        "all_of_member_added_in_request",
    ),
    rule(
        "request-property-one-of-removed",
        K::MemberRemoved,
        true,
        "one_of_alternative_removed_in_request",
    ),
    rule(
        "request-property-any-of-removed",
        K::MemberRemoved,
        true,
        "any_of_alternative_removed_in_request",
    ),
    rule(
        "request-property-deprecated",
        K::DeprecationChanged,
        false,
        "property_deprecated",
    ),
    differs(
        "request-property-default-value-changed",
        K::DefaultChanged,
        true,
        "property_default_changed",
        "oasdiff: INFO. A writer that leaves the property out gets another behaviour from the server",
    ),
    differs(
        "request-optional-property-became-read-only",
        K::AccessChanged,
        true,
        "property_became_read_only",
        "oasdiff: INFO. The server no longer takes the value from writers, who lose what they set",
    ),
    // Responses.
    differs(
        "response-success-status-removed",
        K::StatusRemoved,
        false,
        "success_status_removed",
        "oasdiff: ERR. A reader that handles the removed status still handles every status the server can now send; if another status replaces it, that status is new and judged (below)",
    ),
    differs(
        "response-success-status-added",
        K::StatusAdded,
        true,
        "success_status_added",
        "oasdiff: INFO. Readers that accept only the documented statuses reject the new one: the generated client answers an undocumented success with an unexpected-response error",
    ),
    rule(
        "response-non-success-status-added",
        K::StatusAdded,
        false,
        "error_status_added",
    ),
    rule(
        "response-media-type-removed",
        K::MediaTypeRemoved,
        true,
        "response_media_type_removed",
    ),
    rule(
        "response-media-type-added",
        K::MediaTypeAdded,
        false,
        "response_media_type_added",
    ),
    rule(
        "response-required-property-removed",
        K::FieldRemoved,
        true,
        "required_response_property_removed",
    ),
    differs(
        "response-optional-property-removed",
        K::FieldRemoved,
        true,
        "optional_response_property_removed",
        "oasdiff: WARN. Readers that use the value lose it",
    ),
    rule(
        "response-optional-property-added",
        K::FieldAdded,
        false,
        "response_property_added",
    ),
    rule(
        "response-property-became-optional",
        K::RequiredChanged,
        true,
        "response_property_became_optional",
    ),
    rule(
        "response-property-became-nullable",
        K::NullableChanged,
        true,
        "response_property_became_nullable",
    ),
    rule(
        "response-property-type-changed",
        K::TypeChanged,
        true,
        "response_property_type_changed",
    ),
    rule(
        "response-property-type-generalized",
        K::FormatChanged,
        true,
        "response_property_widened",
    ),
    differs(
        "response-property-enum-value-added",
        K::EnumValueAdded,
        true,
        "response_enum_value_added",
        "oasdiff: WARN. `enum` is a closed set: readers that accept only the documented values, such as the generated exhaustive Rust enum, reject the new one",
    ),
    rule(
        "response-property-enum-value-removed",
        K::EnumValueRemoved,
        false,
        "response_enum_value_removed",
    ),
    rule(
        "response-property-max-length-increased",
        K::ConstraintChanged,
        true,
        "response_max_length_increased",
    ),
    rule(
        "response-property-max-length-unset",
        K::ConstraintChanged,
        true,
        "response_max_length_unset",
    ),
    rule(
        "response-property-min-length-decreased",
        K::ConstraintChanged,
        true,
        "response_min_length_decreased",
    ),
    rule(
        "response-property-max-increased",
        K::ConstraintChanged,
        true,
        "response_maximum_increased",
    ),
    rule(
        "response-property-min-decreased",
        K::ConstraintChanged,
        true,
        "response_minimum_decreased",
    ),
    rule(
        "response-property-min-items-decreased",
        K::ConstraintChanged,
        true,
        "response_min_items_decreased",
    ),
    rule(
        "response-property-one-of-added",
        K::MemberAdded,
        true,
        "one_of_alternative_added_in_response",
    ),
    differs(
        "response-property-any-of-added",
        K::MemberAdded,
        true,
        "any_of_alternative_added_in_response",
        "oasdiff: INFO. Readers may meet a kind of value they do not decode, as with oneOf",
    ),
    differs(
        "response-property-all-of-removed",
        K::MemberRemoved,
        true,
        "all_of_member_removed_in_response",
        "oasdiff: INFO. Readers can no longer rely on what the member guaranteed",
    ),
    differs(
        "response-property-pattern-removed",
        K::ConstraintChanged,
        true,
        "response_pattern_removed",
        "oasdiff: INFO. A looser limit on what the server returns: readers that rely on the pattern may meet other values",
    ),
    rule(
        "response-property-deprecated",
        K::DeprecationChanged,
        false,
        "response_property_deprecated",
    ),
    differs(
        "response-optional-property-became-write-only",
        K::AccessChanged,
        true,
        "response_property_became_write_only",
        "oasdiff: INFO. The server no longer returns the value: readers that use it lose it",
    ),
    // Response headers.
    rule(
        "required-response-header-removed",
        K::HeaderRemoved,
        true,
        "required_response_header_removed",
    ),
    rule(
        "optional-response-header-removed",
        K::HeaderRemoved,
        false,
        "optional_response_header_removed",
    ),
    rule(
        "response-header-added",
        K::HeaderAdded,
        false,
        "response_header_added",
    ),
    rule(
        "response-header-became-optional",
        K::RequiredChanged,
        true,
        "response_header_became_optional",
    ),
    rule(
        "response-header-type-changed",
        K::TypeChanged,
        true,
        "response_header_type_changed",
    ),
    rule(
        "response-header-type-generalized",
        K::FormatChanged,
        true,
        "response_header_widened",
    ),
    rule(
        "response-header-became-nullable",
        K::NullableChanged,
        true,
        "response_header_became_nullable",
    ),
    // Security.
    differs(
        "api-security-added",
        K::AuthChanged,
        true,
        "operation_security_added",
        "oasdiff: INFO. A caller without the new credentials is refused",
    ),
    rule(
        "api-security-removed",
        K::AuthChanged,
        false,
        "operation_security_removed",
    ),
    differs(
        "api-security-scope-added",
        K::AuthChanged,
        true,
        "operation_scope_added",
        "oasdiff: INFO. A token without the new scope is refused",
    ),
    rule(
        "api-security-scope-removed",
        K::AuthChanged,
        false,
        "operation_scope_removed",
    ),
    differs(
        "api-global-security-added",
        K::AuthChanged,
        true,
        "global_security_added",
        "oasdiff: INFO. Every operation without its own security now needs credentials",
    ),
    differs(
        "api-security-component-type-changed",
        K::AuthChanged,
        true,
        "security_scheme_changed",
        "oasdiff: INFO. Credentials sent where the old scheme said are no longer accepted",
    ),
    differs(
        "api-security-component-oauth-token-url-changed",
        K::AuthChanged,
        true,
        "oauth_token_url_changed",
        "oasdiff: INFO. Callers that ask the old URL for tokens fail",
    ),
    rule(
        "api-security-component-oauth-scope-added",
        K::AuthChanged,
        false,
        "oauth_scope_offered",
    ),
    // Components.
    rule(
        "api-schema-removed",
        K::SchemaRemoved,
        false,
        "schema_removed",
    ),
];
