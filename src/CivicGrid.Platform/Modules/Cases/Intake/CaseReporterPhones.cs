using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>
/// The reporters' phones of cases (12345 callers): shown masked, unmasked only with a stated
/// reason by a holder of <c>registry.unmask</c> over the case's grid (audited before the value is
/// handed out), and re-encrypted with the other protected fields on key rotation.
/// </summary>
internal sealed partial class CaseReporterPhones(
    CivicGridDbContext db, ICaller caller, IFieldProtector protector, IAuditLog audit, ILogger<CaseReporterPhones> logger)
    : IProtectedFieldStore
{
    public const string Problem = "来电号码须为 7 到 15 位数字，可带 +86、空格、短横线或括号";
    public const int BatchSize = 500;
    private const int MinReasonLength = 4;
    private const int MaxReasonLength = 500;

    // Chinese stays readable in the audit log instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public string Name => "cases.reporter_phone";

    /// <summary>
    /// The digits of a phone a caller gave (a mobile or a landline with its area code), or null when
    /// it is not one. Never echo a rejected value.
    /// </summary>
    public static string? Normalize(string value)
    {
        var written = value.Trim();
        if (written.Length == 0 || !written.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '+' or '(' or ')'))
        {
            return null;
        }
        var digits = FieldNormalizer.Phone(written);
        return digits.Length is >= 7 and <= 15 ? digits : null;
    }

    /// <summary>The masked phone of a case the caller sees, or null when it has none.</summary>
    public async Task<string?> MaskedAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var cipher = await db.Set<Case>().AsNoTracking().Where(c => c.Id == caseId).Select(c => c.ReporterPhoneCipher)
            .FirstOrDefaultAsync(cancellationToken);
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return Masking.Phone(protector.Decrypt(cipher));
        }
        catch (CryptographicException)
        {
            // A lost key or an altered value: say that there is a number, not what it is.
            LogUnreadable(logger, caseId);
            return "******";
        }
    }

    /// <summary>True when the caller may unmask the reporter's phone of a case in <paramref name="gridCode"/>.</summary>
    public bool CanUnmask(string gridCode) => caller.Can(Capabilities.RegistryUnmask, gridCode);

    /// <summary>The clear phone, after the audit record of who asked and why.</summary>
    public async Task<Result<string>> UnmaskAsync(Guid caseId, string? reason, string? traceId, CancellationToken cancellationToken)
    {
        var found = await db.Set<Case>().AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.GridCode, c.ReporterPhoneCipher }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return CaseQueries.NotFound(caseId);
        }
        if (!CanUnmask(found.GridCode))
        {
            return Error.Forbidden("cases.unmask_forbidden", "无权查看来电号码明文");
        }
        var why = reason?.Trim() ?? string.Empty;
        var errors = new FieldErrors()
            .When(why.Length < MinReasonLength, "reason", $"须说明查看原因（至少 {MinReasonLength} 个字）")
            .When(why.Length > MaxReasonLength, "reason", $"原因最多 {MaxReasonLength} 个字");
        if (errors.ToError("cases.unmask_invalid", "查看明文须说明原因") is { } invalid)
        {
            return invalid;
        }
        if (found.ReporterPhoneCipher is null)
        {
            return Error.NotFound("cases.no_reporter_phone", "该事件没有登记来电号码");
        }
        var clear = protector.Decrypt(found.ReporterPhoneCipher);
        var detail = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["field"] = "reporterPhone",
            ["reason"] = Masking.DigitRuns(why),
            ["value"] = Masking.Phone(clear),
        }, DetailJson);
        // Written before the value is handed out: no audit record, no clear value.
        await audit.AppendAsync(new AuditEntry(caller.Name, "cases.unmask", $"case:{caseId}", detail, caller.Ip, traceId), cancellationToken);
        return clear;
    }

    public async Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var rewritten = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset paging over every jurisdiction: the system re-encrypts all rows.
            var query = db.Set<Case>().IgnoreQueryFilters().AsNoTracking().Where(c => c.ReporterPhoneCipher != null);
            if (after is { } last)
            {
                query = query.Where(c => c.Id.CompareTo(last) > 0);
            }
            var batch = await query.OrderBy(c => c.Id).Take(BatchSize).Select(c => new { c.Id, c.ReporterPhoneCipher }).ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                if (Fresh(protector, row.Id, row.ReporterPhoneCipher!) is { } phone)
                {
                    var old = row.ReporterPhoneCipher;
                    // Only if it is still the value read: a number changed meanwhile is newer and stays.
                    rewritten += await db.Set<Case>().IgnoreQueryFilters()
                        .Where(c => c.Id == row.Id && c.ReporterPhoneCipher == old)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReporterPhoneCipher, phone), cancellationToken);
                }
            }
            if (batch.Count < BatchSize)
            {
                return rewritten;
            }
            after = batch[^1].Id;
        }
    }

    private byte[]? Fresh(IFieldProtector rotating, Guid id, byte[] cipher)
    {
        try
        {
            return rotating.NeedsRotation(cipher) ? rotating.Encrypt(rotating.Decrypt(cipher), FieldKind.Phone) : null;
        }
        catch (CryptographicException)
        {
            LogUnreadable(logger, id);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reporter's phone of case {CaseId} cannot be decrypted (unknown key version or altered value)")]
    private static partial void LogUnreadable(ILogger logger, Guid caseId);
}
