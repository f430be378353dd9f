"""Tests of the Clockify sandbox (`clockify_actions.sandbox`)."""
