"""Routes of this room (filled in by its issue-13 work)."""

from fastapi import APIRouter

router = APIRouter()
