fn main() {
    eprintln!("cognito-emulator: not yet implemented");
    std::process::exit(1);
}
