"""Chart builders (frame -> plotly Figure) and export formats; no Streamlit."""
