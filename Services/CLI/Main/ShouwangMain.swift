import Operator

@main
enum ShouwangMain {
    static func main() async {
        await ShouwangCommand.main()
    }
}
