"""Running the web server: the options every server process shares (`server.py`), one
process's entry when several serve together (`child.py`), and the supervisor that starts
and restarts them (`supervisor.py`)."""
