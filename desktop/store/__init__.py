"""The `.distarch` file: SQLModel tables, defensive opening, migrations, one transaction per edit.

No Qt and no views here: the window, the CLI and the crash tests all use the
same `MapDocument`.
"""
