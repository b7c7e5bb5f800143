"""Composition root of the API Lambda: the Chalice app, its blueprints and middleware. Nothing else."""

from chalice import Chalice

from chalicelib.api.agency import agency_api
from chalicelib.api.auth import auth_api
from chalicelib.api.businesses import businesses_api
from chalicelib.api.deletion import deletion_api
from chalicelib.api.devices import devices_api
from chalicelib.api.dossiers import dossiers_api
from chalicelib.api.exports import exports_api
from chalicelib.api.http import request_middleware
from chalicelib.api.issuer import issuer_api
from chalicelib.api.lookup import lookup_api
from chalicelib.api.me import me_api
from chalicelib.api.notifications import notifications_api
from chalicelib.api.openid4vci import openid4vci_api
from chalicelib.api.procedures import procedures_api
from chalicelib.api.system import system_api
from chalicelib.api.tax import tax_api
from chalicelib.api.tax_payments import tax_payments_api
from chalicelib.api.uploads import uploads_api
from chalicelib.api.wallet import wallet_api
from chalicelib.events.access_digest import access_digest_events
from chalicelib.events.deadlines import deadline_events
from chalicelib.events.delegations import delegation_events
from chalicelib.events.deletion import deletion_events
from chalicelib.events.exports import export_events
from chalicelib.events.notifications import notification_events
from chalicelib.events.tax_alerts import tax_alert_events
from chalicelib.events.tax_payments import tax_payment_events
from chalicelib.events.uploads import upload_events

app = Chalice(app_name="citizen-app")
app.register_middleware(request_middleware, "http")
for blueprint in (system_api, auth_api, me_api, agency_api, dossiers_api, procedures_api):
    app.register_blueprint(blueprint)
for blueprint in (devices_api, notifications_api, notification_events, lookup_api, deadline_events):
    app.register_blueprint(blueprint)
for blueprint in (issuer_api, wallet_api, openid4vci_api, uploads_api, upload_events):
    app.register_blueprint(blueprint)
for blueprint in (deletion_api, deletion_events, exports_api, export_events):
    app.register_blueprint(blueprint)
for blueprint in (tax_api, tax_alert_events, tax_payments_api, tax_payment_events, businesses_api, delegation_events):
    app.register_blueprint(blueprint)
app.register_blueprint(access_digest_events)
