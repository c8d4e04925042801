using System.Text.Json.Serialization;
using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Infrastructure.Api;

/// <summary>A page of a list endpoint: <c>{ "items": [...], "total": N, "page": P, "pageSize": S }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, [property: JsonPropertyName("page")] int PageNumber, int PageSize);

/// <summary>The <c>page</c>/<c>pageSize</c> query of every list endpoint, validated in one place.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page a client may ask for.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Rows to skip.</summary>
    public int Skip => (Page - 1) * PageSize;

    /// <summary>Validates the raw query values; null means the default.</summary>
    public static Result<PageRequest> From(int? page, int? pageSize)
    {
        var errors = new FieldErrors()
            .When(page is < 1, "page", "page 从 1 开始")
            .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize 须在 1 到 {MaxPageSize} 之间");
        return errors.ToError() is { } error
            ? error
            : new PageRequest(page ?? 1, pageSize ?? DefaultPageSize);
    }
}
