"""Sign-in (password, then a TOTP code or recovery code), two-factor enrolment, password reset and sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user

from portal.domain import DomainError
from portal.extensions import limiter
from portal.models import StaffUser
from portal.security import public_url
from portal.services import auth, users
from staff import bp
from staff.forms.auth import EnrolmentForm, ForgottenPasswordForm, ResetPasswordForm, SecurityCodeForm, SignInForm
from staff.forms.base import ConfirmForm
from staff.permissions import any_signed_in, public_staff_page
from staff.session_guard import end_every_session, end_staff_session, renew_session, start_staff_session

PENDING_MINUTES = 10


def _sign_in_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


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
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated and session.get("staff_2fa"):
        return redirect(url_for("staff.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = auth.check_password(form.email.data, form.password.data)
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
@limiter.limit(_sign_in_limit, methods=["POST"])
def two_factor() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        return _restart()
    if auth.needs_enrolment(user):
        return redirect(url_for("staff.two_factor_enrol"))
    form = SecurityCodeForm()
    if form.validate_on_submit():
        try:
            method = auth.verify_second_factor(user, form.code.data)
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
            return _after_sign_in_redirect()
    return render_template("staff/auth/two_factor.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@public_staff_page
@limiter.limit(_sign_in_limit, methods=["POST"])
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
            return render_template(
                "staff/auth/recovery_codes.html", codes=codes, continue_url=url_for("staff.home"), first_time=True
            )
    return render_template("staff/auth/enrol.html", form=form, enrolment=enrolment)


@bp.route("/sign-out", methods=["GET", "POST"])
@any_signed_in
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
@limiter.limit(_sign_in_limit, methods=["POST"])
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
@limiter.limit(_sign_in_limit, methods=["POST"])
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
