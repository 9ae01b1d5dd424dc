from lmkg.cli import main

main()
