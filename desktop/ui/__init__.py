"""The main window and its docks: palette, inspector, coherence panel, history, dialogs."""
