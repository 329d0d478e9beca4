"""Default configuration.

Order of precedence (last wins): these defaults, ``instance/config.py``, environment variables
prefixed ``INCUBATOR_`` (``INCUBATOR_DATABASE_URL``, ``INCUBATOR_SECRET_KEY``, ``INCUBATOR_MAIL_SERVER`` …),
then the mapping passed to ``create_app`` (tests).
"""

from datetime import timedelta

# The public address assumed in debug mode, in tests and for the demonstration data.
LOCAL_PUBLIC_URL = "http://127.0.0.1:5000"


class Defaults:
    # Security. SECRET_KEY has no default on purpose: outside debug the app refuses to start without one.
    SECRET_KEY = None
    # The SQLite database lives in the instance folder unless DATABASE_URL says otherwise.
    DATABASE_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {}
    SQLITE_BUSY_TIMEOUT_MS = 15000

    # Sessions are stored server-side (table web_session); the cookie holds only a random id.
    SESSION_COOKIE_NAME = "incubator_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # True forces the Secure flag; otherwise it is set whenever the request came over HTTPS.
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)
    # Trust X-Forwarded-* headers from this many proxies (0: none).
    PROXY_FIX = 0

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the (server-side) session

    # Accounts
    PASSWORD_MIN_LENGTH = 10
    INVITATION_LIFETIME = timedelta(days=7)
    EMAIL_VERIFICATION_LIFETIME = timedelta(days=3)
    PASSWORD_RESET_LIFETIME = timedelta(hours=2)
    # The read-only API: calls a minute per token (counted in the shared call log), and how long the log keeps a
    # call (`flask api-tokens trim`, run daily, forgets the older ones).
    API_CALLS_PER_MINUTE = 120
    API_CALLS_KEPT_DAYS = 90
    # The catalogue's contact form: messages an hour from one address, a day to one product (counted in the
    # database); the seconds a person takes at least to fill it, and how long its question stays valid.
    CATALOGUE_MESSAGES_PER_IP = 5
    CATALOGUE_MESSAGES_PER_PRODUCT = 20
    CATALOGUE_MIN_FILL_SECONDS = 3
    CATALOGUE_QUESTION_MAX_AGE = 7200
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    # argon2 runs (a login, a new password) at once in one worker process; a request waiting longer than
    # PASSWORD_HASHING_WAIT_SECONDS for its turn is answered 503 with Retry-After, so that a rush of logins
    # does not hold the worker's other requests.
    PASSWORD_HASHING_CONCURRENCY = 2
    PASSWORD_HASHING_WAIT_SECONDS = 10
    # SQLite: seconds between two "PRAGMA optimize" on a pooled connection (its statistics kept fresh).
    SQLITE_OPTIMIZE_INTERVAL_SECONDS = 3600

    # Mail: with no MAIL_SERVER, messages are written to the log and kept in the outbox table.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "Vườn ươm CNTT Hà Nội <no-reply@vuonuom.example>"
    MAIL_TIMEOUT = 10
    # The server's certificate is always checked (STARTTLS or SSL): against the system's authorities, or against
    # this PEM file (a private authority, or a test server's own certificate).
    MAIL_CA_FILE = None
    # `flask reviews remind` (daily) e-mails reviewers with reviews due this many days before a stage closes.
    REVIEW_REMIND_DAYS_BEFORE = 3

    # Language and time
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # Uploads
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Where uploaded files are kept (incubator/uploads/stores.py): None (or "database") in the database, so that
    # every application server reaches them and one backup holds them; or an S3-compatible object store,
    # "s3://bucket/prefix?endpoint_url=https://...&region=...", its keys from the usual AWS variables (needs
    # pip install -e '.[s3]').
    UPLOADS_URL = None

    # Reports' PDFs asked for on their pages (reports/renders.py): "background" (a thread of the server that was
    # asked draws it while the page says how it goes), "inline" (at once, in the request: tests and scripts), or
    # "worker" (left waiting for `flask --app incubator reports render`, run by a timer or a separate process).
    REPORT_RENDERS = "background"

    # Bootstrap-Flask serves Bootstrap from the package: no CDN.
    BOOTSTRAP_SERVE_LOCAL = True

    # The public address of the application (scheme, host and any path prefix), the only source of the absolute
    # links it writes: e-mails, calendar feeds, reports, exports. Never taken from a request's Host header.
    # Required to serve outside debug mode; debug, tests and the demo use LOCAL_PUBLIC_URL.
    SERVER_NAME = None
    PUBLIC_URL = None
    # Host names the application answers to (others get 400). None: the host of PUBLIC_URL outside debug and
    # tests; set a list to add others (e.g. INCUBATOR_TRUSTED_HOSTS='["vuonuom.hanoi.gov.vn", "10.0.0.5"]').
    TRUSTED_HOSTS = None

    PAGE_SIZE = 50
