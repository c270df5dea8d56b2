"""The main window and its docks: palette, inspector, coherence panel, history, dialogs."""

from desktop.ui.feature_table import fill_feature_table

fill_feature_table()  # before the window's hundred modules are imported: see feature_table.py
