"""The browser UI: one page that searches claims and shows their trace."""

from __future__ import annotations

from flask import Blueprint, render_template

views = Blueprint("views", __name__)


@views.get("/")
def index() -> str:
    return render_template("index.html")
