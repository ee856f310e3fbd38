"""What the tests share: factories, the seed snapshots, browser and PDF helpers, the LAIT
extract and the reference implementations the application is held to. No test module imports
another; each imports what it shares from here (or gets it as a fixture from conftest.py)."""
