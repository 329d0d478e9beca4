"""Configuration: defaults, instance/config.py, INCUBATOR_* variables; no secret key, no server."""

import click
import pytest

from incubator import ConfigurationError, create_app


def test_without_a_secret_key_the_app_refuses_to_serve_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("INCUBATOR_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="INCUBATOR_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # as under a WSGI server
    with click.Context(click.Command("run"), info_name="run"), \
            pytest.raises(ConfigurationError, match="INCUBATOR_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_commands_that_serve_nothing_need_no_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("INCUBATOR_SECRET_KEY", raising=False)
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    with click.Context(click.Command("upgrade"), info_name="upgrade"):
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"]


def test_debug_mode_keeps_a_development_key_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("INCUBATOR_SECRET_KEY", raising=False)
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_DEBUG", "1")
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o077 == 0


def test_environment_variables_override_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('SECRET_KEY = "from-instance"\nDATABASE_URL = "sqlite:///instance.db"\n'
                                        'PAGE_SIZE = 20\nPUBLIC_URL = "https://vuonuom.example"\n')
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INCUBATOR_SECRET_KEY", raising=False)
    monkeypatch.delenv("INCUBATOR_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///instance.db"
    assert app.config["PAGE_SIZE"] == 20
    monkeypatch.setenv("INCUBATOR_SECRET_KEY", "from-environment")
    monkeypatch.setenv("INCUBATOR_DATABASE_URL", "postgresql://u@127.0.0.1:5432/vuonuom")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/vuonuom"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INCUBATOR_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x", "PUBLIC_URL": "https://vuonuom.example"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'incubator.sqlite'}"
