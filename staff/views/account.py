"""Your account: details, change password, new recovery codes, sign out everywhere."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action
from portal.services import auth
from staff import bp
from staff.forms.auth import ChangePasswordForm
from staff.forms.base import ConfirmForm
from staff.permissions import requires
from staff.session_guard import end_every_session


@bp.get("/account")
@requires(Action.MANAGE_OWN_ACCOUNT)
def account() -> ResponseReturnValue:
    return render_template(
        "staff/account/index.html",
        user=current_user,
        recovery_codes_left=auth.remaining_recovery_codes(current_user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Action.MANAGE_OWN_ACCOUNT)
def account_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(
                current_user, current_password=form.current_password.data, new_password=form.new_password.data
            )
        except DomainError as exc:
            target = form.current_password if "current password" in str(exc) else form.new_password
            target.errors.append(str(exc))
        else:
            end_every_session(current_user)
            flash("Your password has been changed and you have been signed out everywhere. Sign in again.", "success")
            return redirect(url_for("staff.sign_in"))
    return render_template("staff/account/password.html", form=form)


@bp.route("/account/recovery-codes", methods=["GET", "POST"])
@requires(Action.MANAGE_OWN_ACCOUNT)
def account_recovery_codes() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        codes = auth.regenerate_recovery_codes(current_user)
        return render_template(
            "staff/auth/recovery_codes.html", codes=codes, continue_url=url_for("staff.account"), first_time=False
        )
    return render_template(
        "staff/account/recovery_codes.html", form=form, recovery_codes_left=auth.remaining_recovery_codes(current_user)
    )


@bp.route("/account/sign-out-everywhere", methods=["GET", "POST"])
@requires(Action.MANAGE_OWN_ACCOUNT)
def account_sign_out_everywhere() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        auth.sign_out_everywhere(current_user)
        end_every_session(current_user)
        flash("You have been signed out on every device. Sign in again to continue.", "success")
        return redirect(url_for("staff.sign_in"))
    return render_template("staff/account/sign_out_everywhere.html", form=form)
