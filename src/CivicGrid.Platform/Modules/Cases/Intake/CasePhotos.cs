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

    /// <summary>The validation error of photos the intake's writer refused to attach (nothing of them was changed).</summary>
    public async Task<Error> RefusedAsync(IReadOnlyList<Guid> photoIds, Guid caseId, CancellationToken cancellationToken)
    {
        var problem = await files.ProblemWithAsync(photoIds, caseId, cancellationToken) ?? "照片已被同时用于其他事件";
        return new FieldErrors().Add(Field, problem).ToError()!;
    }
}
