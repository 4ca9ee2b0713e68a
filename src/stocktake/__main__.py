from stocktake.cli import main

main(prog_name="stocktake")
