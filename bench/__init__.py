"""`make bench`: what users feel (start, open, drag, score, save, export, import), each against bare Qt in the same run."""
