"""Reviewing proposed facts (issue 19): ``citynet review`` pages, decisions, ``review accept``."""
