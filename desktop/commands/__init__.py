"""Every change to a map is a QUndoCommand here: it updates the domain and the store, then signals.

Views call `MapSession.perform(...)`; they never write the store or mutate the
domain map themselves.
"""
