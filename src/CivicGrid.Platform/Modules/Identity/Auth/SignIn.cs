using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Auth;

internal sealed record SignInRequest(string? UserName, string? Password, string? Otp = null);

/// <summary>What a correct password leads to: a session, or first a one-time code, or first enrolling one.</summary>
internal enum SecondStep
{
    None,
    Otp,
    Enrol,
}

/// <summary>
/// Password sign-in. An unknown user costs the same hash verification as a known one and gets the
/// same problem, so neither the answer nor its timing tells which names exist.
/// </summary>
internal sealed class SignIn(
    CivicGridDbContext db, IPasswordHasher<User> hasher, IdentitySettings settings, TimeProvider time, IAuditLog audit,
    TokenIssuer tokens, TotpAccounts totp)
{
    public static readonly Error InvalidCredentials = Error.Unauthenticated("auth.invalid_credentials", "用户名或密码错误");
    public static readonly Error LockedOut = Error.Unauthenticated("auth.locked_out", "失败次数过多，账号已暂时锁定，请稍后再试");
    public static readonly Error OtpRequired = Error.Unauthenticated("auth.otp_required", "请输入验证器中的 6 位动态验证码（otp）");
    public static readonly Error OtpInvalid = Error.Unauthenticated("auth.otp_invalid", "动态验证码错误或已使用");
    public static readonly Error OtpEnrolmentRequired = Error.Unauthenticated("auth.otp_enrolment_required",
        "您的角色须使用两步验证：请先在网页登录并绑定验证器");

    private static readonly User Nobody = new(Guid.Empty, "nobody", "nobody", DateTimeOffset.UnixEpoch);
    private static string? _dummyHash;

    /// <summary>The API's sign-in: checks the password and issues a token pair.</summary>
    public async Task<Result<TokenResponse>> HandleAsync(SignInRequest request, string? ip, CancellationToken cancellationToken)
    {
        var checkedUser = await CheckAsync(request, ip, cancellationToken);
        if (!checkedUser.IsSuccess)
        {
            return checkedUser.Error!;
        }
        var user = checkedUser.Value;
        var (issued, stored) = tokens.Issue(user, Guid.CreateVersion7(time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(user.UserName, "auth.sign_in", $"user:{user.Id}", $"token session {stored.FamilyId}", ip, cancellationToken);
        return issued;
    }

    /// <summary>
    /// Checks the name, the password and, for a user with TOTP, the one-time code (<see cref="SignInRequest.Otp"/>),
    /// counting failures toward the lockout; the user when all match. The caller records the
    /// successful sign-in (it knows how the session is kept).
    /// </summary>
    public async Task<Result<User>> CheckAsync(SignInRequest request, string? ip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var password = await CheckPasswordAsync(request, ip, cancellationToken);
        if (!password.IsSuccess)
        {
            return password.Error!;
        }
        var (user, next) = password.Value;
        switch (next)
        {
            case SecondStep.Enrol:
                await AuditAsync(user.UserName, "auth.sign_in_failed", $"user:{user.Id}", "TOTP enrolment required for the role", ip, cancellationToken);
                return OtpEnrolmentRequired;
            case SecondStep.Otp when string.IsNullOrWhiteSpace(request.Otp):
                return OtpRequired;
            case SecondStep.Otp:
                return await CheckOtpAsync(user, request.Otp, ip, cancellationToken);
            default:
                return user;
        }
    }

    /// <summary>The second step of a page sign-in: the one-time code of the user whose password was checked.</summary>
    public async Task<Result<User>> CheckOtpAsync(Guid userId, string? code, string? ip, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? InvalidCredentials : await CheckOtpAsync(user, code, ip, cancellationToken);
    }

    private async Task<Result<User>> CheckOtpAsync(User user, string? code, string? ip, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (user.IsLockedAt(now))
        {
            await AuditAsync(user.UserName, "auth.sign_in_failed", $"user:{user.Id}", "locked out", ip, cancellationToken);
            return LockedOut;
        }
        if (user.IsDisabled || !user.HasTotp)
        {
            return InvalidCredentials;
        }
        if (await totp.ClaimAsync(user, code, cancellationToken) is null)
        {
            var locked = user.FailSignIn(now, settings.MaxFailedSignIns, settings.Lockout);
            await db.SaveChangesAsync(cancellationToken);
            await AuditAsync(user.UserName, "auth.sign_in_failed", $"user:{user.Id}", "wrong or reused one-time code", ip, cancellationToken);
            if (locked)
            {
                await AuditAsync(user.UserName, "auth.locked_out", $"user:{user.Id}",
                    $"{settings.MaxFailedSignIns} failures, locked until {user.LockedUntil:O}", ip, cancellationToken);
            }
            return OtpInvalid;
        }
        user.SucceedSignIn();
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Checks the name and password, counting failures toward the lockout. For a user with TOTP
    /// the failure count is left as it is (the code still has to be right); otherwise it is reset.
    /// </summary>
    public async Task<Result<(User User, SecondStep Next)>> CheckPasswordAsync(SignInRequest request, string? ip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var userName = (request.UserName ?? string.Empty).Trim();
        var password = request.Password ?? string.Empty;
        // The attempted name goes into the audit log; cap it so a pasted password or junk stays short.
        var actor = userName.Length is > 0 and <= 64 ? userName : "(invalid)";
        var normalized = User.Normalize(userName);
        var user = userName.Length == 0
            ? null
            : await db.Set<User>().Include(u => u.Roles).SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        var now = time.GetUtcNow();

        if (user is null)
        {
            _dummyHash ??= hasher.HashPassword(Nobody, Passwords.Generate());
            hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
            await AuditAsync(actor, "auth.sign_in_failed", "user:unknown", "unknown user", ip, cancellationToken);
            return InvalidCredentials;
        }
        if (user.IsLockedAt(now))
        {
            await AuditAsync(actor, "auth.sign_in_failed", $"user:{user.Id}", "locked out", ip, cancellationToken);
            return LockedOut;
        }

        var verified = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            var locked = user.FailSignIn(now, settings.MaxFailedSignIns, settings.Lockout);
            await db.SaveChangesAsync(cancellationToken);
            await AuditAsync(actor, "auth.sign_in_failed", $"user:{user.Id}", "wrong password", ip, cancellationToken);
            if (locked)
            {
                await AuditAsync(actor, "auth.locked_out", $"user:{user.Id}",
                    $"{settings.MaxFailedSignIns} failures, locked until {user.LockedUntil:O}", ip, cancellationToken);
            }
            return InvalidCredentials;
        }
        if (user.IsDisabled)
        {
            await AuditAsync(actor, "auth.sign_in_failed", $"user:{user.Id}", "disabled", ip, cancellationToken);
            return InvalidCredentials;
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.SetPasswordHash(hasher.HashPassword(user, password), keepFailures: user.HasTotp);
        }
        if (user.HasTotp)
        {
            await db.SaveChangesAsync(cancellationToken);
            return (user, SecondStep.Otp);
        }
        user.SucceedSignIn();
        await db.SaveChangesAsync(cancellationToken);
        return (user, settings.RequiresTotp(user.Roles.Select(r => r.Role)) ? SecondStep.Enrol : SecondStep.None);
    }

    /// <summary>Appends an audit record of a sign-in event.</summary>
    public Task AuditAsync(string actor, string action, string target, string detail, string? ip, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(actor, action, target, detail, ip), cancellationToken);
}
