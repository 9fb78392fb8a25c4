"""The report generators, imported as reports.FOLDER.MODULE from the source
root (a package of its own, so no other `reports` on the path shadows it)."""
