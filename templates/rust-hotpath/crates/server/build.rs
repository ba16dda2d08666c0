//! Code generation from the contracts in `proto/` (copied there by the generator): prost
//! messages and tonic clients and servers, compiled by protox (pure Rust, no system protoc),
//! plus `contracts.rs`: one module per contract with stable names for its generated types.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;

/// `module = fully.qualified.Service`, one per line: the contracts this service serves and
/// calls, written from the model at render time.
const CONTRACTS: &str = include_str!("contracts.txt");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let files = proto_files(&proto_root)?;
    println!("cargo:rerun-if-changed={}", proto_root.display());
    println!("cargo:rerun-if-changed=contracts.txt");

    let descriptors = protox::compile(&files, [&proto_root])?;
    let contracts = contracts_rs(&descriptors)?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .include_file("_includes.rs")
        .compile_fds(descriptors)?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out_dir.join("contracts.rs"), contracts)?;
    Ok(())
}

/// Every `.proto` under `proto/`, relative to it, sorted.
fn proto_files(root: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                println!("cargo:rerun-if-changed={}", path.display());
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "proto") {
                println!("cargo:rerun-if-changed={}", path.display());
                files.push(path.strip_prefix(root)?.to_path_buf());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `pub mod <contract> { pub use <package>::*; Service, Server, Client, NAME }` per contract.
fn contracts_rs(
    fds: &prost_types::FileDescriptorSet,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    let lines = CONTRACTS.lines().map(str::trim);
    for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (module, service) = line.split_once(" = ").ok_or("malformed CONTRACTS line")?;
        if !seen.insert(module) {
            continue; // served and called
        }
        let (package, name) = service.rsplit_once('.').ok_or("unqualified service name")?;
        let declared = fds
            .file
            .iter()
            .any(|file| file.package() == package && file.service.iter().any(|s| s.name() == name));
        if !declared {
            return Err(
                format!("contract {module}: service {service} is not declared in proto/").into(),
            );
        }
        let path: Vec<String> = package.split('.').map(rust_ident).collect();
        let path = format!("crate::pb::{}", path.join("::"));
        let snake = name.to_snake_case();
        writeln!(out, "/// `{service}`")?;
        writeln!(out, "pub mod {module} {{")?;
        writeln!(out, "    pub use {path}::*;")?;
        writeln!(
            out,
            "    pub use {path}::{snake}_client::{name}Client as Client;"
        )?;
        writeln!(
            out,
            "    pub use {path}::{snake}_server::{{{name} as Service, {name}Server as Server}};"
        )?;
        writeln!(out, "    /// The fully qualified gRPC service name.")?;
        writeln!(out, "    pub const NAME: &str = \"{service}\";")?;
        writeln!(out, "}}")?;
    }
    Ok(out)
}

/// A proto package segment as prost names its module.
fn rust_ident(segment: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern",
        "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe",
        "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
        "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    let snake = segment.to_snake_case();
    if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}
