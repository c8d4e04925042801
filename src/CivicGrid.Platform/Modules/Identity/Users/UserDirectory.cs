using System.Globalization;
using System.Linq.Expressions;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Identity.Users;

/// <summary>A user as the users API shows it: the phone always masked (<c>138****5678</c>).</summary>
internal sealed record UserSummary(
    Guid Id, string UserName, string DisplayName, bool IsDisabled, IReadOnlyList<RoleGrant> Roles, string? Phone);

/// <summary>The body of <c>POST /users/{id}/unmask</c>: which field, and why the caller must see it.</summary>
internal sealed record UnmaskRequest(string? Field, string? Reason);

/// <summary>A clear value handed out once, after the look was audited.</summary>
internal sealed record UnmaskedField(string Field, string Value);

/// <summary>
/// Reads users for callers holding <see cref="Capabilities.UsersManage"/>, within their jurisdictions only,
/// and hands out a clear phone to callers holding <see cref="Capabilities.UsersUnmask"/>, with a reason, audited.
/// A user outside the caller's jurisdictions is answered as if it did not exist.
/// </summary>
internal sealed partial class UserDirectory(CivicGridDbContext db, IFieldProtector protector, IAuditLog audit, ILogger<UserDirectory> logger)
{
    public const string PhoneField = "phone";
    private const int MinReasonLength = 4;
    private const int MaxReasonLength = 500;

    // Chinese reasons stay readable in the audit log instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task<Result<Paged<UserSummary>>> ListAsync(ClaimsPrincipal caller, string? q, string? phone, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        if (ManagedJurisdictions(caller) is not { Count: > 0 } codes)
        {
            return NotAllowed();
        }
        var paging = PageRequest.From(page, pageSize);
        var errors = new FieldErrors();
        string? mobile = null;
        if (phone is not null && !PhoneNumbers.TryNormalizeMobile(phone, out mobile))
        {
            errors.Add("phone", PhoneNumbers.Problem);
        }
        if (!paging.IsSuccess || !errors.IsEmpty)
        {
            foreach (var (field, messages) in paging.Error?.Fields ?? new Dictionary<string, string[]>())
            {
                foreach (var message in messages)
                {
                    errors.Add(field, message);
                }
            }
            return errors.ToError()!;
        }

        var users = Visible(codes);
        if (q?.Trim() is { Length: > 0 } text)
        {
            var upper = text.ToUpperInvariant();
            users = users.Where(u => u.NormalizedUserName.Contains(upper) || u.DisplayName.Contains(text));
        }
        if (mobile is not null)
        {
            var index = protector.BlindIndex(mobile, FieldKind.Phone);
            users = users.Where(u => u.PhoneIndex == index);
        }
        var total = await users.CountAsync(cancellationToken);
        var request = paging.Value;
        var rows = await users.AsNoTracking().Include(u => u.Roles)
            .OrderBy(u => u.NormalizedUserName).ThenBy(u => u.Id)
            .Skip(request.Skip).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return new Paged<UserSummary>([.. rows.Select(Summarize)], total, request.Page, request.PageSize);
    }

    public async Task<Result<UserSummary>> GetAsync(ClaimsPrincipal caller, Guid id, CancellationToken cancellationToken)
    {
        if (ManagedJurisdictions(caller) is not { Count: > 0 } codes)
        {
            return NotAllowed();
        }
        var user = await Visible(codes).AsNoTracking().Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null ? NotFound(id) : Summarize(user);
    }

    public async Task<Result<UnmaskedField>> UnmaskAsync(ClaimsPrincipal caller, Guid id, UnmaskRequest? request, string? ip,
        string? traceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (ManagedJurisdictions(caller) is not { Count: > 0 } codes || !caller.Grants().Any(g => Capabilities.RoleHas(g.Role, Capabilities.UsersUnmask)))
        {
            return NotAllowed();
        }
        var user = await Visible(codes).AsNoTracking().Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return NotFound(id);
        }
        // Seeing the user is not enough: the unmask grant itself must cover one of its jurisdictions.
        if (!user.Roles.Any(r => caller.HasCapability(Capabilities.UsersUnmask, r.JurisdictionCode)))
        {
            return NotAllowed();
        }
        var reason = request?.Reason?.Trim() ?? string.Empty;
        var errors = new FieldErrors()
            .When(!string.Equals(request?.Field, PhoneField, StringComparison.Ordinal), "field", "field 须为 phone")
            .When(reason.Length < MinReasonLength, "reason", $"须说明查看原因（至少 {MinReasonLength} 个字）")
            .When(reason.Length > MaxReasonLength, "reason", $"原因最多 {MaxReasonLength} 个字");
        if (errors.ToError("users.unmask_invalid", "查看明文须指明字段并说明原因") is { } invalid)
        {
            return invalid;
        }
        if (user.PhoneCipher is null)
        {
            return Error.NotFound("users.no_phone", "该用户没有登记手机号");
        }

        var clear = protector.Decrypt(user.PhoneCipher);
        // Written before the value is handed out: no audit record, no clear value.
        var detail = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["field"] = PhoneField,
            ["reason"] = MaskDigitRuns(reason),
            ["value"] = Masking.Phone(clear),
        }, DetailJson);
        await audit.AppendAsync(new AuditEntry(caller.Identity?.Name ?? "unknown", "users.unmask", $"user:{user.Id}", detail, ip, traceId),
            cancellationToken);
        return new UnmaskedField(PhoneField, clear);
    }

    /// <summary>
    /// The reason is free text bound for the immutable audit chain: a number typed into it (a phone,
    /// an ID number) is masked, so a clear value cannot enter the chain that way either.
    /// </summary>
    internal static string MaskDigitRuns(string text) => Masking.DigitRuns(text);

    private static IReadOnlyList<string> ManagedJurisdictions(ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var codes = caller.Grants()
            .Where(g => Capabilities.RoleHas(g.Role, Capabilities.UsersManage) && g.JurisdictionCode.Length > 0)
            .Select(g => g.JurisdictionCode)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // A code under another one adds nothing to it.
        return [.. codes.Where(c => !codes.Any(other => !string.Equals(other, c, StringComparison.Ordinal) && c.StartsWith(other, StringComparison.Ordinal)))];
    }

    /// <summary>The users holding at least one role within one of <paramref name="codes"/> (code prefix).</summary>
    private IQueryable<User> Visible(IReadOnlyList<string> codes)
    {
        var role = Expression.Parameter(typeof(RoleAssignment), "r");
        var jurisdiction = Expression.Property(role, nameof(RoleAssignment.JurisdictionCode));
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        Expression? any = null;
        foreach (var code in codes)
        {
            // Codes are digits (validated when the role was assigned), so LIKE 'code%' needs no escaping.
            var test = Expression.Call(jurisdiction, startsWith, Expression.Constant(code));
            any = any is null ? test : Expression.OrElse(any, test);
        }
        var within = Expression.Lambda<Func<RoleAssignment, bool>>(any!, role);
        var ids = db.Set<RoleAssignment>().Where(within).Select(r => r.UserId);
        return db.Set<User>().Where(u => ids.Contains(u.Id));
    }

    private UserSummary Summarize(User user) => new(
        user.Id, user.UserName, user.DisplayName, user.IsDisabled,
        [.. user.Roles.OrderBy(r => r.Role, StringComparer.Ordinal).ThenBy(r => r.JurisdictionCode, StringComparer.Ordinal)
            .Select(r => new RoleGrant(r.Role, r.JurisdictionCode, r.DepartmentCode))],
        MaskedPhone(user));

    private string? MaskedPhone(User user)
    {
        if (user.PhoneCipher is null)
        {
            return null;
        }
        try
        {
            return Masking.Phone(protector.Decrypt(user.PhoneCipher));
        }
        catch (CryptographicException)
        {
            // A lost key or an altered value: say that there is a phone, not what it is, and keep listing.
            LogUnreadablePhone(logger, user.Id);
            return "***********";
        }
    }

    private static Error NotAllowed() => Error.Forbidden("users.forbidden", "无权管理用户");

    private static Error NotFound(Guid id) =>
        Error.NotFound("users.not_found", string.Create(CultureInfo.InvariantCulture, $"没有用户 {id}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The phone of user {UserId} cannot be decrypted (unknown key version or altered value)")]
    private static partial void LogUnreadablePhone(ILogger logger, Guid userId);
}
