using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Tags;

/// <summary>A tag as <c>GET /api/v1/registry/tags</c> lists it.</summary>
internal sealed record TagView(string Name, string Group, int SortOrder, bool Active);

/// <summary>The body of <c>POST /api/v1/registry/tags</c>: a new tag, or a tag's group, order or retirement.</summary>
internal sealed record TagInput(string? Name, string? Group, int? SortOrder, bool? Active);

/// <summary>The tag catalog: listed to every reader of the registry, edited by <c>registry.catalog</c>, checked on every person write.</summary>
internal sealed class TagCatalog(CivicGridDbContext db, ICaller caller, IAuditLog audit)
{
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task<IReadOnlyList<TagView>> ListAsync(CancellationToken cancellationToken) =>
        await db.Set<RegistryTag>().AsNoTracking().OrderBy(t => t.SortOrder).ThenBy(t => t.Name)
            .Select(t => new TagView(t.Name, t.Group, t.SortOrder, t.Active)).ToListAsync(cancellationToken);

    /// <summary>The names a person write may use now.</summary>
    public static async Task<IReadOnlySet<string>> ActiveAsync(CivicGridDbContext db, CancellationToken cancellationToken) =>
        (await db.Set<RegistryTag>().AsNoTracking().Where(t => t.Active).Select(t => t.Name).ToListAsync(cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    public async Task<Result<TagView>> SaveAsync(TagInput? input, CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryCatalog))
        {
            return Error.Forbidden("registry.forbidden", "无权维护标签目录");
        }
        var name = input?.Name?.Trim() ?? string.Empty;
        var group = input?.Group?.Trim();
        var errors = new FieldErrors()
            .When(name.Length is 0 or > RegistryTag.MaxNameLength || name.Contains(Person.TagSeparator, StringComparison.Ordinal), "name",
                $"标签须为 1-{RegistryTag.MaxNameLength} 个字，且不含 {Person.TagSeparator}")
            .When(group is { Length: 0 or > RegistryTag.MaxGroupLength }, "group", $"分组须为 1-{RegistryTag.MaxGroupLength} 个字");
        var tag = errors.ToError() is null ? await db.Set<RegistryTag>().SingleOrDefaultAsync(t => t.Name == name, cancellationToken) : null;
        errors.When(tag is null && group is null && name.Length > 0, "group", "新标签须指定分组");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        if (tag is null)
        {
            tag = new RegistryTag { Name = name, Group = group!, SortOrder = input!.SortOrder ?? 1000 };
            db.Add(tag);
        }
        tag.Group = group ?? tag.Group;
        tag.SortOrder = input!.SortOrder ?? tag.SortOrder;
        tag.Active = input.Active ?? tag.Active;
        tag.UpdatedBy = caller.Name;
        await db.SaveChangesAsync(cancellationToken);
        var view = new TagView(tag.Name, tag.Group, tag.SortOrder, tag.Active);
        await audit.AppendAsync(new AuditEntry(caller.Name, "registry.tag_saved", $"tag:{tag.Name}", JsonSerializer.Serialize(view, DetailJson),
            caller.Ip), cancellationToken);
        return view;
    }
}
