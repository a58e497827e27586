//! The structure the workspace promises its readers, checked on every test run for each of its
//! three products (the SDK's `src/`, the emulator's `emulator/src/`, the uniffi facade's
//! `bindings/ffi/src/`): data flows one way (the import graph of its files has no circle), no
//! file passes 500 lines and no function 80.
//!
//! The graph has one node per file. An edge is any path the file names through `crate::`,
//! `super::`, `self::` or a child module, in `use` declarations and inline, resolved to the file
//! that defines the item: a name re-exported by `lib.rs` or a `mod.rs` is followed to its
//! defining file, so re-exports do not hide a circle and do not invent one. Unit tests
//! (`mod tests`) are not part of the data flow and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 500;
const MAX_FUNCTION_LINES: usize = 80;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The library sources of the workspace's three products.
fn members() -> [PathBuf; 3] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        src(),
        root.join("emulator/src"),
        root.join("bindings/ffi/src"),
    ]
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/lib.rs` -> [], `src/a.rs` and `src/a/mod.rs` -> [a], `src/a/b.rs` -> [a, b].
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file
        .strip_prefix(root)
        .expect("a file under the crate's src/");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    match last.as_str() {
        "lib.rs" | "mod.rs" => {}
        name => parts.push(name.trim_end_matches(".rs").to_owned()),
    }
    parts
}

/// The text without comments, string and character literals (replaced by spaces), so that
/// paths in documentation and messages are not taken for imports.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            out.extend(rest[..end].chars().filter(|c| *c == '\n'));
            i += end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            let end = rest[body..]
                .find(&close)
                .map_or(rest.len(), |e| body + e + close.len());
            out.extend(rest[..end].chars().filter(|c| *c == '\n'));
            i += end;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.extend(text[i..j.min(bytes.len())].chars().filter(|c| *c == '\n'));
            out.push(' ');
            i = j + 1;
        } else if bytes[i] == b'\''
            && rest.len() > 2
            && (rest.as_bytes()[2] == b'\'' || rest.starts_with("'\\"))
        {
            // A character literal ('a', '\n', '\''); lifetimes ('a) have no closing quote.
            let end = rest[1..].find('\'').map_or(1, |e| e + 2);
            let end = if rest.starts_with("'\\'") { 4 } else { end };
            out.push(' ');
            i += end;
        } else {
            let c = rest.chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Expands a use tree: `a::{b, c::{d, e as f}}` -> `a::b`, `a::c::d`, `a::c::e as f`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let tree = tree
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::");
    let Some(open) = tree.find('{') else {
        return vec![tree.trim().to_owned()];
    };
    let prefix = &tree[..open];
    let close = tree.rfind('}').expect("a closed use tree");
    let inner = &tree[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            expand(p)
                .into_iter()
                .map(|e| {
                    if e == "self" {
                        prefix.trim_end_matches("::").to_owned()
                    } else {
                        format!("{prefix}{e}")
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

struct Crate {
    /// Module path -> file.
    modules: BTreeMap<Vec<String>, PathBuf>,
    /// File -> its code without comments and literals.
    code: BTreeMap<PathBuf, String>,
}

impl Crate {
    fn read(root: &Path) -> Self {
        let mut files = Vec::new();
        rust_files(root, &mut files);
        let mut modules = BTreeMap::new();
        let mut code = BTreeMap::new();
        // A binary's `main.rs` is a crate of its own beside the library: not in its graph.
        files.retain(|f| f != &root.join("main.rs"));
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            modules.insert(module_of(root, &file), file.clone());
            code.insert(file, code_only(&text));
        }
        Self { modules, code }
    }

    /// The `use` declarations of a file, expanded: the path, whether it is a re-export, and
    /// where it stands.
    fn uses(&self, file: &Path) -> Vec<(String, bool, usize)> {
        let code = &self.code[file];
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(at) = find_word(&code[from..], "use") {
            let at = from + at;
            let before = code[..at].trim_end();
            let last = before
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or_default();
            let public = last == "pub" || last.starts_with("pub(");
            let end = code[at..].find(';').map_or(code.len(), |e| at + e);
            for path in expand(&code[at + 3..end]) {
                out.push((path, public, at));
            }
            from = end;
        }
        out
    }

    /// The module at `position` of a file: the file's module and the inline `mod name { ... }`
    /// blocks around it (`mod tests`, `pub mod steps`), where `super::` starts from.
    fn module_at(&self, file: &Path, module: &[String], position: usize) -> Vec<String> {
        let code = &self.code[file];
        let mut path = module.to_vec();
        let mut from = 0;
        while let Some(at) = find_word(&code[from..], "mod") {
            let at = from + at;
            from = at + 3;
            let rest = &code[at + 3..];
            let name_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c.is_whitespace()))
                .unwrap_or(rest.len());
            if !rest[name_end..].starts_with('{') || at > position {
                continue;
            }
            let open = at + 3 + name_end;
            let mut depth = 0;
            let mut close = code.len();
            for (i, c) in code[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if position > open && position < close {
                path.push(rest[..name_end].trim().to_owned());
            }
        }
        path
    }

    /// Every path a file names that may point into the crate, as written, with where it stands.
    fn named_paths(&self, file: &Path) -> Vec<(String, usize)> {
        let code = &self.code[file];
        // A re-export (`pub use`) is a facade, not a use: the names it passes on are followed to
        // their defining file where they are used.
        let mut paths: Vec<(String, usize)> = self
            .uses(file)
            .into_iter()
            .filter(|(_, public, _)| !public)
            .map(|(p, _, at)| (p, at))
            .collect();
        let bytes = code.as_bytes();
        for start in ["crate::", "super::", "self::"] {
            let mut from = 0;
            while let Some(at) = code[from..].find(start) {
                let at = from + at;
                from = at + start.len();
                if at > 0
                    && (bytes[at - 1].is_ascii_alphanumeric()
                        || bytes[at - 1] == b'_'
                        || bytes[at - 1] == b':')
                {
                    continue;
                }
                let end = code[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .map_or(code.len(), |e| at + e);
                paths.push((code[at..end].trim_end_matches(':').to_owned(), at));
            }
        }
        paths
    }

    /// The absolute module path a written path starts from, seen from `module`.
    fn absolute(&self, module: &[String], path: &str) -> Option<Vec<String>> {
        let path = path.split(" as ").next().unwrap_or(path).trim();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<String> = match segments.first().copied() {
            Some("crate") => {
                segments.remove(0);
                Vec::new()
            }
            Some("super") => {
                let mut base = module.to_vec();
                while segments.first() == Some(&"super") {
                    segments.remove(0);
                    base.pop()?;
                }
                base
            }
            Some("self") => {
                segments.remove(0);
                module.to_vec()
            }
            Some(first) => {
                // A child module, named relative to this one (`use steps::SignInStep`).
                let mut child = module.to_vec();
                child.push(first.to_owned());
                if !self.modules.contains_key(&child) {
                    return None;
                }
                module.to_vec()
            }
            None => return None,
        };
        base.extend(segments.iter().map(|s| (*s).to_owned()));
        Some(base)
    }

    /// The file defining what an absolute path names, following re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<PathBuf> {
        let mut module = path.to_vec();
        let mut item = None;
        while !self.modules.contains_key(&module) {
            item = module.pop();
        }
        let file = &self.modules[&module];
        let Some(item) = item else {
            return Some(file.clone());
        };
        if depth < 8 {
            for (used, public, at) in self.uses(file) {
                if self.module_at(file, &module, at) != module {
                    continue; // a use inside an inline module: not this module's re-export
                }
                let name = used
                    .split(" as ")
                    .nth(1)
                    .unwrap_or_else(|| used.rsplit("::").next().unwrap_or(&used))
                    .trim();
                if public && name == item {
                    let target = self.absolute(&module, &used)?;
                    return self.resolve(&target, depth + 1);
                }
            }
        }
        Some(file.clone())
    }

    fn graph(&self) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
        let mut graph = BTreeMap::new();
        for (module, file) in &self.modules {
            let mut targets = BTreeSet::new();
            for (path, at) in self.named_paths(file) {
                let here = self.module_at(file, module, at);
                if here.len() > module.len() && here[module.len()..].contains(&"tests".to_owned()) {
                    continue; // unit tests are not part of the data flow
                }
                if let Some(target) = self
                    .absolute(&here, &path)
                    .and_then(|absolute| self.resolve(&absolute, 0))
                    && &target != file
                {
                    targets.insert(target);
                }
            }
            graph.insert(file.clone(), targets);
        }
        graph
    }
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let at = from + at;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after = at + word.len();
        let after_ok = after < bytes.len() && bytes[after].is_ascii_whitespace();
        if before_ok && after_ok {
            return Some(at);
        }
        from = after;
    }
    None
}

/// A circle of the graph, as the files on it, if there is one.
fn circle(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        marks: &mut BTreeMap<PathBuf, Mark>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|n| n == node).expect("on the stack");
                let mut found = stack[from..].to_vec();
                found.push(node.clone());
                return Some(found);
            }
            None => {}
        }
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, marks, stack) {
                return Some(found);
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(found) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(found);
        }
    }
    None
}

fn short(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn no_product_imports_in_a_circle() {
    for root in members() {
        let krate = Crate::read(&root);
        let graph = krate.graph();
        assert!(graph.len() > 5, "{} was read", root.display());
        if let Some(found) = circle(&graph) {
            let names: Vec<String> = found.iter().map(|p| short(p)).collect();
            panic!("imports in a circle: {}", names.join(" -> "));
        }
    }
}

#[test]
fn the_import_graph_of_src_has_no_circle() {
    let krate = Crate::read(&src());
    let graph = krate.graph();
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        graph.len() > 30 && edges > 100,
        "the graph was read: {} files, {edges} edges",
        graph.len()
    );
    // The reader sees imports: the client uses the sign-in, the sign-in uses device management.
    let edge = |from: &str, to: &str| graph[&src().join(from)].contains(&src().join(to));
    assert!(edge("client.rs", "flow/steps.rs"), "client -> flow");
    assert!(
        edge("flow/answers.rs", "flow/machine.rs") && !edge("flow/machine.rs", "flow/answers.rs"),
        "the answers drive the machine, never the other way round"
    );
    assert!(
        edge("flow/new_device.rs", "devices/mod.rs"),
        "flow -> devices"
    );
    assert!(
        edge("flow/machine.rs", "error.rs"),
        "crate::Error resolves to error.rs"
    );
    if let Some(found) = circle(&graph) {
        let names: Vec<String> = found.iter().map(|p| short(p)).collect();
        panic!("src/ imports in a circle: {}", names.join(" -> "));
    }
}

#[test]
fn a_circle_is_found() {
    let a = PathBuf::from("a.rs");
    let b = PathBuf::from("b.rs");
    let graph = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone()])),
    ]);
    assert_eq!(circle(&graph), Some(vec![a.clone(), b, a]));
    assert_eq!(
        circle(&BTreeMap::from([(PathBuf::from("c.rs"), BTreeSet::new())])),
        None
    );
}

#[test]
fn use_trees_expand() {
    assert_eq!(
        expand("crate::{a::{b, c as d}, e, f::{self}}"),
        ["crate::a::b", "crate::a::c as d", "crate::e", "crate::f"]
    );
}

#[test]
fn no_file_passes_500_lines_and_no_function_80() {
    let mut files = Vec::new();
    for root in members() {
        rust_files(&root, &mut files);
    }
    let mut over = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            over.push(format!("{}: {} lines", short(file), lines.len()));
        }
        for (start, line) in lines.iter().enumerate() {
            let Some(name) = function_name(line) else {
                continue;
            };
            if line.trim_end().ends_with(';') {
                continue; // a declaration without a body
            }
            let indent = &line[..line.len() - line.trim_start().len()];
            let close = format!("{indent}}}");
            let end = lines[start..]
                .iter()
                .position(|l| *l == close || l.trim_end() == format!("{indent}}}").as_str())
                .map_or(lines.len(), |e| start + e);
            let length = end - start + 1;
            if length > MAX_FUNCTION_LINES {
                over.push(format!(
                    "{}:{}: fn {name}: {length} lines",
                    short(file),
                    start + 1
                ));
            }
        }
    }
    assert!(files.len() > 80, "the three products were read");
    assert!(over.is_empty(), "too long:\n{}", over.join("\n"));
}

/// The name of the function a line starts, if it starts one.
fn function_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace().peekable();
    while let Some(word) = words.next() {
        match word {
            "pub" | "async" | "const" | "unsafe" | "extern" | "\"C\"" => {}
            w if w.starts_with("pub(") => {}
            "fn" => {
                let name = words.next()?;
                return Some(name.split(['(', '<']).next().unwrap_or(name));
            }
            _ => return None,
        }
    }
    None
}
