from newsroom_archive.cli import main

main(prog_name="newsroom-archive")
