using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Files.Contracts;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>
/// The photos of a report or a step: files the caller uploaded (Files module), at most
/// <see cref="ReportCase.MaxPhotos"/>, attached to the case in the same save, so that whoever
/// sees the case sees them. Unknown, someone else's, or another case's files are 400 on <c>photoIds</c>.
/// </summary>
internal sealed class CasePhotos(IFileAttachments files)
{
    public const string Field = "photoIds";

    /// <summary>The ids as stored (comma-separated; null for none), or the validation error.</summary>
    public async Task<Result<string?>> AttachAsync(IReadOnlyList<Guid>? photoIds, Guid caseId, string gridCode,
        CancellationToken cancellationToken)
    {
        if (photoIds is not { Count: > 0 })
        {
            return Result<string?>.Success(null);
        }
        var ids = photoIds.Distinct().ToList();
        var problem = ids.Count > ReportCase.MaxPhotos
            ? $"最多 {ReportCase.MaxPhotos} 张照片"
            : await files.ProblemWithAsync(ids, caseId, cancellationToken);
        if (problem is not null)
        {
            return new FieldErrors().Add(Field, problem).ToError()!;
        }
        await files.AttachAsync(ids, caseId, gridCode, cancellationToken);
        return string.Join(',', ids);
    }

    /// <summary>
    /// The intake's way: attaches the photos in one UPDATE inside the caller's open transaction,
    /// without looking them up first; only when fewer than asked were the caller's to attach is the
    /// reason looked up (the caller then rolls back). The ids as stored, or the validation error.
    /// </summary>
    public async Task<Result<string?>> AttachNowAsync(IReadOnlyList<Guid> photoIds, Guid caseId, string gridCode,
        CancellationToken cancellationToken)
    {
        var ids = photoIds.Distinct().ToList();
        if (ids.Count > ReportCase.MaxPhotos)
        {
            return new FieldErrors().Add(Field, $"最多 {ReportCase.MaxPhotos} 张照片").ToError()!;
        }
        if (await files.AttachNowAsync(ids, caseId, gridCode, cancellationToken) == ids.Count)
        {
            return string.Join(',', ids);
        }
        var problem = await files.ProblemWithAsync(ids, caseId, cancellationToken) ?? "照片已被同时用于其他事件";
        return new FieldErrors().Add(Field, problem).ToError()!;
    }
}
