"""Pure writers and readers of files: data in, bytes out. No wddf or streamlit imports."""
