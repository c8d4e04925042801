using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>What the enrolment page shows.</summary>
internal sealed record TotpStatus(string UserName, DateTimeOffset? EnabledAt, string? Secret, string? KeyUri, bool Required);

/// <summary>
/// The optional second factor: enrolment (a secret shown once confirmed by a code), removal, and
/// the code check used by sign-in. A code is accepted within ±1 step and never twice: the step is
/// claimed with a conditional update, so two requests racing with one code cannot both pass.
/// </summary>
internal sealed class TotpAccounts(CivicGridDbContext db, IDataProtectionProvider protection, TimeProvider time, IAuditLog audit,
    IdentitySettings settings)
{
    public static readonly Error CodeInvalid = Error.Validation("auth.otp_invalid", "动态验证码错误或已使用",
        new Dictionary<string, string[]> { ["code"] = ["动态验证码错误或已使用，请输入验证器中的当前 6 位数字"] });

    public static readonly Error StillRequired = Error.Conflict("auth.otp_required_for_role", "您的角色要求两步验证，不能停用");

    private IDataProtector Protector => protection.CreateProtector("CivicGrid.Totp");

    /// <summary>The user's state; while not enrolled, a pending secret is made (once) and shown.</summary>
    public async Task<TotpStatus?> StatusAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var required = settings.RequiresTotp(user.Roles.Select(r => r.Role));
        if (user.HasTotp)
        {
            return new TotpStatus(user.UserName, user.TotpEnabledAt, null, null, required);
        }
        if (user.TotpSecret is null)
        {
            user.BeginTotp(Protector.Protect(Totp.ToBase32(Totp.NewSecret())));
            await db.SaveChangesAsync(cancellationToken);
        }
        var secret = Protector.Unprotect(user.TotpSecret!);
        return new TotpStatus(user.UserName, null, secret, Totp.KeyUri(user.UserName, secret), required);
    }

    /// <summary>Confirms enrolment with a current code.</summary>
    public async Task<Result<User>> EnableAsync(Guid userId, string? code, string? ip, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(userId, cancellationToken);
        if (user is null || user.TotpSecret is null || user.HasTotp)
        {
            return CodeInvalid;
        }
        if (await ClaimAsync(user, code, cancellationToken) is not { } step)
        {
            return CodeInvalid;
        }
        user.EnableTotp(time.GetUtcNow(), step);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(user.UserName, "auth.totp_enabled", $"user:{user.Id}", "authenticator app confirmed", ip),
            cancellationToken);
        return user;
    }

    /// <summary>Removes the second factor, proven by a current code; refused when a role requires it.</summary>
    public async Task<Result<User>> DisableAsync(Guid userId, string? code, string? ip, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(userId, cancellationToken);
        if (user is null || !user.HasTotp)
        {
            return CodeInvalid;
        }
        if (settings.RequiresTotp(user.Roles.Select(r => r.Role)))
        {
            return StillRequired;
        }
        if (await ClaimAsync(user, code, cancellationToken) is null)
        {
            return CodeInvalid;
        }
        user.DisableTotp();
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(user.UserName, "auth.totp_disabled", $"user:{user.Id}", "second factor removed", ip),
            cancellationToken);
        return user;
    }

    /// <summary>
    /// The step of <paramref name="code"/> when it is the user's code now (±1 step) and that step is
    /// later than the last accepted one; the step is then recorded as used. Null otherwise.
    /// </summary>
    public async Task<long?> ClaimAsync(User user, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Totp.Normalize(code) is not { } digits || user.TotpSecret is null)
        {
            return null;
        }
        var secret = Totp.FromBase32(Protector.Unprotect(user.TotpSecret));
        var now = Totp.StepAt(time.GetUtcNow());
        var last = user.TotpLastStep ?? long.MinValue;
        long? matched = null;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (step > last && Totp.Matches(secret, step, digits))
            {
                matched = step;
            }
        }
        if (matched is not { } claimed)
        {
            return null;
        }
        var id = user.Id;
        var updated = await db.Set<User>().Where(u => u.Id == id && (u.TotpLastStep == null || u.TotpLastStep < claimed))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TotpLastStep, claimed), cancellationToken);
        return updated == 1 ? claimed : null;
    }

    private Task<User?> LoadAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<User>().Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == userId && !u.IsDisabled, cancellationToken);
}
