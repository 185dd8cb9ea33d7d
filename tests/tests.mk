# tests.mk - filled below
