//! The vendor's navigation: the pages `docs.json` lists, where, and its
//! redirects.
//!
//! Mintlify's `docs.json` nests `navigation.tabs[].anchors[].pages` (or
//! `.groups[].pages`), where a page is a path without its `.mdx` and a group is
//! `{ "group": ..., "pages": [...] }`, nested to any depth. The vendor's
//! products are the anchors of its API reference tab (Management, Cards,
//! Individual Cards, Treasury, Active Management); a page's product is its
//! anchor's name in kebab case (`individual-cards`, `active-management`).
//!
//! A page is a *guide* when it is in a tab without anchors (the Guides tab) or
//! is listed directly under an anchor rather than in one of its groups (the
//! anchors' `index` pages and the introduction). Guides have no `api:`; every
//! other page of the navigation documents an operation.

use serde_json::Value;

/// The navigation of a `docs.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// The site's name (`name`), which tells the vendor's docs from others.
    pub name: Option<String>,
    /// Every page, in navigation order.
    pub pages: Vec<NavPage>,
    /// The redirects.
    pub redirects: Vec<Redirect>,
}

/// A page of the navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavPage {
    /// The page's path without `.mdx` (`api-reference/cards/index`).
    pub path: String,
    /// The tab's name.
    pub tab: String,
    /// The anchor's name, in a tab of anchors.
    pub anchor: Option<String>,
    /// The groups it is in, outermost first.
    pub groups: Vec<String>,
}

impl NavPage {
    /// The product the page belongs to: its anchor in kebab case.
    pub fn product(&self) -> Option<String> {
        self.anchor.as_deref().map(kebab)
    }

    /// Whether the page is a guide (see the module's documentation).
    pub fn is_guide(&self) -> bool {
        self.anchor.is_none() || self.groups.is_empty()
    }

    /// The file of the page in the repository.
    pub fn file(&self) -> String {
        format!("{}.mdx", self.path)
    }
}

/// A redirect of `docs.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old page's URL path (`/api-reference/management/clients/get-client`).
    pub source: String,
    /// Where it goes.
    pub destination: String,
}

/// A name in kebab case: `Active Management` is `active-management`.
pub fn kebab(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

impl Navigation {
    /// Reads a `docs.json`. Text that is not JSON, or JSON without
    /// `navigation.tabs`, is an error that says so (with the line for JSON).
    pub fn parse(text: &str) -> Result<Navigation, String> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| format!("line {}: not JSON: {e}", e.line()))?;
        let tabs = doc
            .pointer("/navigation/tabs")
            .and_then(Value::as_array)
            .ok_or("no `navigation.tabs`: not a Mintlify docs.json")?;
        let mut pages = Vec::new();
        for tab in tabs {
            let name = tab.get("tab").and_then(Value::as_str).unwrap_or_default();
            if let Some(anchors) = tab.get("anchors").and_then(Value::as_array) {
                for anchor in anchors {
                    let anchor_name = anchor.get("anchor").and_then(Value::as_str);
                    walk(anchor, name, anchor_name, &mut Vec::new(), &mut pages);
                }
            } else {
                walk(tab, name, None, &mut Vec::new(), &mut pages);
            }
        }
        let redirects = doc
            .get("redirects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| {
                Some(Redirect {
                    source: r.get("source")?.as_str()?.to_string(),
                    destination: r.get("destination")?.as_str()?.to_string(),
                })
            })
            .collect();
        Ok(Navigation {
            name: doc.get("name").and_then(Value::as_str).map(str::to_string),
            pages,
            redirects,
        })
    }

    /// The navigation's page of a file (`api-reference/x.mdx`).
    pub fn page(&self, file: &str) -> Option<&NavPage> {
        let path = file.strip_suffix(".mdx").unwrap_or(file);
        self.pages.iter().find(|p| p.path == path)
    }

    /// Where the site redirects a file's page, if it does.
    pub fn redirect(&self, file: &str) -> Option<&str> {
        let path = file.strip_suffix(".mdx").unwrap_or(file);
        self.redirects
            .iter()
            .find(|r| r.source.trim_start_matches('/') == path)
            .map(|r| r.destination.as_str())
    }

    /// The products (anchors with at least one page that is not a guide), in
    /// navigation order.
    pub fn products(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for page in self.pages.iter().filter(|p| !p.is_guide()) {
            if let Some(product) = page.product()
                && !out.contains(&product)
            {
                out.push(product);
            }
        }
        out
    }
}

/// Collects the pages of a node: its `pages` (strings, or groups) and its
/// `groups`.
fn walk(
    node: &Value,
    tab: &str,
    anchor: Option<&str>,
    groups: &mut Vec<String>,
    out: &mut Vec<NavPage>,
) {
    for key in ["pages", "groups"] {
        for item in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match item {
                Value::String(path) => out.push(NavPage {
                    path: path.trim_start_matches('/').to_string(),
                    tab: tab.to_string(),
                    anchor: anchor.map(str::to_string),
                    groups: groups.clone(),
                }),
                Value::Object(_) => {
                    let group = item.get("group").and_then(Value::as_str);
                    if let Some(g) = group {
                        groups.push(g.to_string());
                    }
                    walk(item, tab, anchor, groups, out);
                    if group.is_some() {
                        groups.pop();
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_anchors_groups_and_guides() {
        let nav = Navigation::parse(
            r#"{"name": "V", "navigation": {"tabs": [
                {"tab": "Guides", "groups": [{"group": "Start", "pages": ["index"]}]},
                {"tab": "API reference", "anchors": [
                    {"anchor": "Active Management", "pages": ["api/index",
                        {"group": "Wallets", "pages": ["api/w/list", {"group": "Deep", "pages": ["api/w/d"]}]}]}
                ]}
            ]}, "redirects": [{"source": "/old", "destination": "/api/w/list"}]}"#,
        )
        .expect("a docs.json");
        let paths: Vec<(&str, bool, Option<String>)> = nav
            .pages
            .iter()
            .map(|p| (p.path.as_str(), p.is_guide(), p.product()))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("index", true, None),
                ("api/index", true, Some("active-management".into())),
                ("api/w/list", false, Some("active-management".into())),
                ("api/w/d", false, Some("active-management".into())),
            ]
        );
        assert_eq!(nav.products(), vec!["active-management".to_string()]);
        assert_eq!(nav.redirect("old.mdx"), Some("/api/w/list"));
        assert_eq!(nav.name.as_deref(), Some("V"));
        assert!(Navigation::parse("{}").is_err());
        assert!(Navigation::parse("<html>").is_err_and(|e| e.starts_with("line 1")));
    }
}
