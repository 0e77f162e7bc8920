"""Floor of the cold-start benchmark: the smallest Streamlit app. Imports nothing of ours."""

import streamlit as st

st.write("Hello")
