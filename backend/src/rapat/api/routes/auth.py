"""/api/v1/auth: registration, sign-in, tokens, email links, sessions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from rapat.api.deps import Client, CurrentPrincipal, ServicesDep, get_principal
from rapat.api.error_docs import SIGNED_IN, WITH_BODY, errors
from rapat.api.rate_limit import rate_limit
from rapat.api.schemas.auth import (
    EmailIn,
    LoginIn,
    LogoutIn,
    MessageOut,
    RefreshIn,
    RegisterIn,
    ResetPasswordIn,
    SessionOut,
    TokenIn,
    TokensOut,
    UserEnvelope,
    UserOut,
)
from rapat.ratelimit import rates
from rapat.services.auth import IssuedTokens

router = APIRouter(prefix="/auth", tags=["auth"])

FORGOT_MESSAGE = "If an account exists for this email, a reset link is on its way."


def _tokens(issued: IssuedTokens) -> TokensOut:
    return TokensOut(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        refresh_expires_in=issued.refresh_expires_in,
        user=UserOut.of(issued.user),
    )


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=errors(409, 429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.register", rates.REGISTER, by="ip"))],
)
async def register(body: RegisterIn, services: ServicesDep) -> UserEnvelope:
    user = await services.auth.register(body.email, body.password, body.first_name, body.last_name)
    return UserEnvelope(user=UserOut.of(user))


@router.post(
    "/login",
    responses=errors(401, 403, 429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.login", rates.LOGIN, by="ip"))],
)
async def login(body: LoginIn, services: ServicesDep, client: Client) -> TokensOut:
    return _tokens(await services.auth.login(body.email, body.password, client))


@router.post(
    "/refresh",
    responses=errors(401, 429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.refresh", rates.REFRESH, by="ip"))],
)
async def refresh(body: RefreshIn, services: ServicesDep, client: Client) -> TokensOut:
    return _tokens(await services.auth.refresh(body.refresh_token, client))


@router.post(
    "/logout", status_code=status.HTTP_204_NO_CONTENT, responses=errors(*SIGNED_IN, *WITH_BODY)
)
async def logout(
    principal: CurrentPrincipal, services: ServicesDep, body: LogoutIn | None = None
) -> None:
    await services.auth.logout(principal)


@router.post(
    "/verify-email",
    responses=errors(401, 429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.verify_email", rates.VERIFY_EMAIL, by="ip"))],
)
async def verify_email(body: TokenIn, services: ServicesDep) -> UserEnvelope:
    return UserEnvelope(user=UserOut.of(await services.recovery.verify_email(body.token)))


@router.post(
    "/resend-verification",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(*SIGNED_IN, 409),
    # The caller is resolved first so the limit counts per user (dependencies are cached).
    dependencies=[
        Depends(get_principal),
        Depends(rate_limit("auth.resend_verification", rates.VERIFY_EMAIL, by="user")),
    ],
)
async def resend_verification(principal: CurrentPrincipal, services: ServicesDep) -> MessageOut:
    await services.recovery.resend_verification(principal)
    return MessageOut(message="A new verification link is on its way.")


@router.post(
    "/forgot-password",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.forgot_password", rates.FORGOT_PASSWORD, by="ip"))],
)
async def forgot_password(body: EmailIn, services: ServicesDep) -> MessageOut:
    await services.recovery.forgot_password(body.email)
    return MessageOut(message=FORGOT_MESSAGE)


@router.post(
    "/reset-password",
    responses=errors(401, 429, *WITH_BODY),
    dependencies=[Depends(rate_limit("auth.reset_password", rates.VERIFY_EMAIL, by="ip"))],
)
async def reset_password(body: ResetPasswordIn, services: ServicesDep) -> MessageOut:
    await services.recovery.reset_password(body.token, body.password)
    return MessageOut(message="Your password has been changed. Sign in with the new one.")


@router.get("/sessions", responses=errors(*SIGNED_IN))
async def list_sessions(principal: CurrentPrincipal, services: ServicesDep) -> list[SessionOut]:
    views = await services.auth.list_sessions(principal)
    return [SessionOut.model_validate(view, from_attributes=True) for view in views]


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(*SIGNED_IN, 404, 422),
)
async def revoke_session(
    session_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.auth.revoke_session(principal, session_id)
