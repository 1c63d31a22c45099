# Sphinx configuration of the Connector documentation: plain reST, no extension needed.
project = 'Connector'
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
