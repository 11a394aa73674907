"""The dashboard's pages (one script each, listed in `app.py`) and `common`, what they share."""
