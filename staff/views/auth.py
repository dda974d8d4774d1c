"""Sign-in (password, then a TOTP code or recovery code), two-factor enrolment, password reset and sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user

from portal.domain import DomainError
from portal.domain.access import Action
from portal.models import StaffUser
from portal.ratelimits import apply, everyone, form_value, hashed, on_post, wrong_answer
from portal.security import public_url
from portal.services import auth, users
from staff import bp, known_devices
from staff.forms.auth import EnrolmentForm, ForgottenPasswordForm, ResetPasswordForm, SecurityCodeForm, SignInForm
from staff.forms.base import ConfirmForm
from staff.permissions import public_staff_page, requires
from staff.session_guard import end_every_session, end_staff_session, renew_session, start_staff_session

PENDING_MINUTES = 10


# Rate limits: per IP address, per account whatever the address (wrong answers only, and never from a device the
# account has signed in on before), and for all addresses together. Every one is a setting.
def _email_account() -> str:
    return "account:" + hashed(users.normalise_email(form_value("email")))


def _no_email_or_known_device() -> bool:
    email = form_value("email")
    return not email or known_devices.is_known(email)


def _pending_account() -> str:
    return f"pending:{session.get('staff_pending_user')}"


def _no_pending_account() -> bool:
    return not session.get("staff_pending_user")


def _no_email() -> bool:
    return not form_value("email")


_per_ip = on_post("RATELIMIT_SIGN_IN")
_everyone = on_post("RATELIMIT_SIGN_IN_GLOBAL", key_func=everyone)
_password_guesses = on_post(
    "RATELIMIT_SIGN_IN_ACCOUNT",
    key_func=_email_account,
    exempt_when=_no_email_or_known_device,
    deduct_when=wrong_answer,
)
_code_guesses = on_post(
    "RATELIMIT_TWO_FACTOR_ACCOUNT", key_func=_pending_account, exempt_when=_no_pending_account, deduct_when=wrong_answer
)
_reset_emails = on_post("RATELIMIT_RESET_EMAIL_ACCOUNT", key_func=_email_account, exempt_when=_no_email)


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/staff") and not target.startswith("//") and "\\" not in target:
        return target.rstrip("?") or None
    return None


def _pending_user() -> StaffUser | None:
    """The user who has given a correct password in this session and has not yet given the second factor."""
    user_id = session.get("staff_pending_user")
    started = session.get("staff_pending_at")
    if not user_id or not started:
        return None
    try:
        if datetime.now(UTC) - datetime.fromisoformat(started) > timedelta(minutes=PENDING_MINUTES):
            return None
    except ValueError:
        return None
    return users.active_user(int(user_id))


def _finish_sign_in(user: StaffUser) -> None:
    next_url = session.get("staff_next")
    renew_session()
    login_user(user)
    start_staff_session(user)
    if next_url:
        session["staff_next"] = next_url


def _after_sign_in_redirect() -> ResponseReturnValue:
    target = _safe_next(session.pop("staff_next", None))
    return redirect(target or url_for("staff.home"))


def _restart(message: str = "Sign in again to continue.") -> ResponseReturnValue:
    """No password given in this session (or it is too old). A GET changes nothing: a link from another site must
    never sign anyone out. A POST (its CSRF token checked) forgets the unfinished sign-in."""
    if current_user.is_authenticated and session.get("staff_2fa"):
        return redirect(url_for("staff.home"))
    if request.method == "POST":
        session.pop("staff_pending_user", None)
        session.pop("staff_pending_at", None)
        flash(message)
    return redirect(url_for("staff.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public_staff_page
@apply(_per_ip, _password_guesses, _everyone)
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated and session.get("staff_2fa"):
        return redirect(url_for("staff.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            known = known_devices.is_known(form.email.data)
            user = auth.check_password(form.email.data, form.password.data, known_device=known)
        except auth.SignInError as exc:
            form.email.errors.append(str(exc))
        else:
            next_url = _safe_next(request.args.get("next"))
            renew_session()  # no session fixation: nothing from before the password survives
            session["staff_pending_user"] = user.id
            session["staff_pending_at"] = datetime.now(UTC).isoformat()
            if next_url:
                session["staff_next"] = next_url
            if auth.needs_enrolment(user):
                return redirect(url_for("staff.two_factor_enrol"))
            return redirect(url_for("staff.two_factor"))
    return render_template("staff/auth/sign_in.html", form=form)


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@public_staff_page
@apply(_per_ip, _code_guesses, _everyone)
def two_factor() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        return _restart()
    if auth.needs_enrolment(user):
        return redirect(url_for("staff.two_factor_enrol"))
    form = SecurityCodeForm()
    if form.validate_on_submit():
        try:
            method = auth.verify_second_factor(user, form.code.data, known_device=known_devices.is_known(user.email))
        except auth.SignInError as exc:
            form.code.errors.append(str(exc))
        else:
            _finish_sign_in(user)
            if method == "recovery_code":
                left = auth.remaining_recovery_codes(user)
                flash(
                    f"You signed in with a recovery code. You have {left} left. "
                    "Make new ones from your account page if you are running out."
                )
            return known_devices.remember(make_response(_after_sign_in_redirect()), user.email)
    return render_template("staff/auth/two_factor.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@public_staff_page
@apply(_per_ip, _code_guesses, _everyone)
def two_factor_enrol() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        return _restart()
    if not auth.needs_enrolment(user):
        return redirect(url_for("staff.two_factor"))
    enrolment = auth.begin_enrolment(user)
    form = EnrolmentForm()
    if form.validate_on_submit():
        try:
            codes = auth.confirm_enrolment(user, form.code.data)
        except (auth.SignInError, DomainError) as exc:
            form.code.errors.append(str(exc))
        else:
            _finish_sign_in(user)
            # Shown once, in this response only: the codes are stored hashed and never again readable.
            page = render_template(
                "staff/auth/recovery_codes.html", codes=codes, continue_url=url_for("staff.home"), first_time=True
            )
            return known_devices.remember(make_response(page), user.email)
    return render_template("staff/auth/enrol.html", form=form, enrolment=enrolment)


@bp.route("/sign-out", methods=["GET", "POST"])
@requires(Action.MANAGE_OWN_ACCOUNT)
def sign_out() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        auth.record_sign_out(current_user)
        end_staff_session()
        flash("You have signed out.", "success")
        return redirect(url_for("staff.sign_in"))
    return render_template("staff/auth/sign_out.html", form=form)


@bp.route("/password/forgotten", methods=["GET", "POST"])
@public_staff_page
@apply(_per_ip, _reset_emails, _everyone)
def password_forgotten() -> ResponseReturnValue:
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        auth.request_password_reset(
            form.email.data, link_for=lambda token: public_url(url_for("staff.password_reset", token=token))
        )
        return redirect(url_for("staff.password_reset_sent"))
    return render_template("staff/auth/forgotten.html", form=form)


@bp.get("/password/check-your-email")
@public_staff_page
def password_reset_sent() -> ResponseReturnValue:
    return render_template("staff/auth/reset_sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public_staff_page
@apply(_per_ip, _everyone)
def password_reset(token: str) -> ResponseReturnValue:
    try:
        auth.user_for_reset_token(token)
    except DomainError as exc:
        return render_template("staff/auth/reset_invalid.html", message=str(exc)), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = auth.reset_password(token, form.new_password.data)
        except DomainError as exc:
            form.new_password.errors.append(str(exc))
        else:
            end_every_session(user)
            flash("Your password has been reset. Sign in with your new password.", "success")
            return redirect(url_for("staff.sign_in"))
    return render_template("staff/auth/reset.html", form=form)
