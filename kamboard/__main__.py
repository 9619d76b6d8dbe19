from kamboard.cli import main

main()
