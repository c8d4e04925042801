using System.Data;
using System.Globalization;
using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text.Json;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MiniExcelLibs;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>
/// Fills a template from the base data: one query for the persons matching its filter within a
/// division (ages as a birth-date range, tags as <c>|tag|</c> substrings, the division as a grid-code
/// range), one for the template's extra values there, the division names through the Geography
/// contract (per township and community, not per person), joined in memory. Numbers leave masked,
/// except in an export asked for unmasked by someone who may (audited before it is written).
/// </summary>
internal sealed partial class TemplateFill(
    CivicGridDbContext db, ICaller caller, IFieldProtector protector, IAuditLog audit, IDivisionDirectory divisions, DivisionNames divisionNames,
    LocalTime time, PersonDirectory directory, ILogger<TemplateFill> logger)
{
    /// <summary>How many persons the to-do names per grid (the count is always whole).</summary>
    public const int TodoListLimit = 100;

    /// <summary>A template the caller sees (its division is his, above or below his), or 404.</summary>
    public async Task<Result<ReportTemplate>> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var template = await db.Set<ReportTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? NotFound(id) : template;
    }

    /// <summary>A page of filled rows, ordered by grid.</summary>
    public async Task<Result<TemplateRows>> RowsAsync(Guid id, string? within, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        var scope = await ScopeAsync(id, within, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }
        var (template, code) = scope.Value;
        var today = time.Today;
        var matching = Matching(template, code, today);
        var total = await matching.CountAsync(cancellationToken);
        var request = paging.Value;
        var persons = await matching.OrderBy(p => p.GridCode).ThenBy(p => p.Id).Skip(request.Skip).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        var ids = persons.Select(p => p.Id).ToList();
        var values = template.Columns.Any(c => c.IsExtra)
            ? await db.Set<TemplateValue>().AsNoTracking().Where(v => v.TemplateId == template.Id && ids.Contains(v.PersonId))
                .ToListAsync(cancellationToken)
            : [];
        var filler = await FillerAsync(template, persons.Select(p => p.GridCode).Distinct(), values, today, unmasked: false, cancellationToken);
        return new TemplateRows(template.Id, code, template.Columns, [.. persons.Select(filler.Row)], total, request.Page, request.PageSize);
    }

    /// <summary>Every row of the template within a division, in memory (the benchmark's "fill"; the export streams instead).</summary>
    public async Task<Result<TemplateRows>> FillAsync(Guid id, string? within, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(id, within, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }
        var (template, code) = scope.Value;
        var today = time.Today;
        var values = await ValuesWithinAsync(template, code, cancellationToken);
        var persons = await Matching(template, code, today).OrderBy(p => p.GridCode).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var filler = await FillerAsync(template, persons.Select(p => p.GridCode).Distinct(StringComparer.Ordinal), values, today,
            unmasked: false, cancellationToken);
        return new TemplateRows(template.Id, code, template.Columns, [.. persons.Select(filler.Row)], persons.Count, 1, persons.Count);
    }

    /// <summary>
    /// The template as an .xlsx in its column order under its headers, streamed from the database into a
    /// temporary file (deleted when the stream closes). <paramref name="unmasked"/> needs registry.unmask over
    /// the whole division and is audited before a clear number is written.
    /// </summary>
    public async Task<Result<(Stream File, string Name)>> ExportAsync(Guid id, string? within, bool unmasked, string? traceId,
        CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(id, within, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }
        var (template, code) = scope.Value;
        if (unmasked && !caller.Can(Capabilities.RegistryUnmask, code))
        {
            return Error.Forbidden("registry.forbidden", "无权导出该区划人员的明文信息");
        }
        if (unmasked)
        {
            // No audit record, no clear value.
            await audit.AppendAsync(new AuditEntry(caller.Name, "registry.unmask", $"report-template:{template.Id}",
                Detail(new() { ["within"] = code, ["export"] = template.Name }), caller.Ip, traceId), cancellationToken);
        }
        var today = time.Today;
        var filler = await PrepareAsync(template, code, today, unmasked, cancellationToken);
        var query = Matching(template, code, today).OrderBy(p => p.GridCode).ThenBy(p => p.Id);
        var count = 0;
        IEnumerable<IDictionary<string, object?>> Rows()
        {
            foreach (var person in query.AsEnumerable())
            {
                count++;
                yield return filler.Sheet(person);
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"civicgrid-template-{Guid.NewGuid():N}.xlsx");
        var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            var sheet = SheetName(template.Name);
            using var rows = Rows().GetEnumerator();
            if (rows.MoveNext())
            {
                // The query runs while MiniExcel writes: the rows are never all in memory.
                MiniExcel.SaveAs(output, Continue(rows), sheetName: sheet, excelType: ExcelType.XLSX);
            }
            else
            {
                // No persons: still the headers, in order.
                using var empty = new DataTable();
                foreach (var column in template.Columns)
                {
                    empty.Columns.Add(column.Header);
                }
                MiniExcel.SaveAs(output, empty, sheetName: sheet, excelType: ExcelType.XLSX);
            }
            output.Position = 0;
        }
        catch
        {
            await output.DisposeAsync();
            throw;
        }
        await audit.AppendAsync(new AuditEntry(caller.Name, "registry.template_exported", $"report-template:{template.Id}",
            Detail(new() { ["within"] = code, ["rows"] = count, ["unmasked"] = unmasked }), caller.Ip, traceId), cancellationToken);
        return (output, template.Name);

        static IEnumerable<IDictionary<string, object?>> Continue(IEnumerator<IDictionary<string, object?>> rows)
        {
            do
            {
                yield return rows.Current;
            }
            while (rows.MoveNext());
        }
    }

    /// <summary>Per grid: the listed persons still missing a required extra field, and who (up to <see cref="TodoListLimit"/>).</summary>
    public async Task<Result<TemplateTodo>> TodoAsync(Guid id, string? within, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(id, within, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }
        var (template, code) = scope.Value;
        var required = template.Columns.Where(c => c.IsExtra && c.Required).Select(c => c.Key).ToList();
        var persons = await Matching(template, code, time.Today).OrderBy(p => p.GridCode).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.GridCode }).ToListAsync(cancellationToken);
        var filled = new HashSet<(Guid, string)>();
        if (required.Count > 0)
        {
            var upper = CivicGridDbContext.UpperBound(code);
            var values = await db.Set<TemplateValue>().AsNoTracking()
                .Where(v => v.TemplateId == template.Id && string.Compare(v.GridCode, code) >= 0 && string.Compare(v.GridCode, upper) < 0
                    && required.Contains(v.FieldKey))
                .Select(v => new { v.PersonId, v.FieldKey }).ToListAsync(cancellationToken);
            filled.UnionWith(values.Select(v => (v.PersonId, v.FieldKey)));
        }
        var names = await divisionNames.ForGridsAsync(persons.Select(p => p.GridCode).Distinct(StringComparer.Ordinal),
            cancellationToken);
        var grids = new List<TodoGrid>();
        foreach (var grid in persons.GroupBy(p => p.GridCode, StringComparer.Ordinal))
        {
            var missing = grid.Select(p => new TodoPerson(p.Id, p.Name, [.. required.Where(k => !filled.Contains((p.Id, k)))]))
                .Where(p => p.Missing.Count > 0).ToList();
            grids.Add(new TodoGrid(grid.Key, names.GetValueOrDefault(grid.Key), grid.Count(), missing.Count,
                [.. missing.Take(TodoListLimit)], missing.Count > TodoListLimit));
        }
        return new TemplateTodo(template.Id, code, required, grids.Sum(g => g.Missing), grids);
    }

    /// <summary>The template and the division to fill it for: <paramref name="within"/>, narrowed to the template's own division.</summary>
    private async Task<Result<(ReportTemplate Template, string Code)>> ScopeAsync(Guid id, string? within, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var template = found.Value;
        var code = within?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            // The persons query is scoped to the caller's jurisdictions anyway.
            return (template, template.OwnerCode);
        }
        if (DivisionCode.LevelOf(code) is null)
        {
            return new FieldErrors().Add("within", "within 须为区划或网格代码").ToError()!;
        }
        if (await divisions.FindAsync(code, cancellationToken) is null)
        {
            return Error.NotFound("registry.division_not_found", $"没有区划或网格 {code}");
        }
        if (code.StartsWith(template.OwnerCode, StringComparison.Ordinal))
        {
            return (template, code);
        }
        if (template.OwnerCode.StartsWith(code, StringComparison.Ordinal))
        {
            return (template, template.OwnerCode);
        }
        return new FieldErrors().Add("within", $"{code} 不在模板“{template.Name}”的适用区划 {template.OwnerCode} 内").ToError()!;
    }

    /// <summary>The persons of the template's filter within <paramref name="code"/>, as one SQL query.</summary>
    internal IQueryable<Person> Matching(ReportTemplate template, string code, DateOnly today)
    {
        var upper = CivicGridDbContext.UpperBound(code);
        var persons = db.Set<Person>().AsNoTracking()
            .Where(p => string.Compare(p.GridCode, code) >= 0 && string.Compare(p.GridCode, upper) < 0);
        var filter = template.Filter;
        foreach (var tag in filter.TagsAll ?? [])
        {
            var marker = TemplateFilter.Marker(tag);
            persons = persons.Where(p => p.Tags.Contains(marker));
        }
        if (filter.TagsAny is { Count: > 0 } any)
        {
            persons = persons.Where(AnyTag(any));
        }
        var (latest, earliestExclusive) = filter.BirthRange(today);
        if (latest is { } last)
        {
            persons = persons.Where(p => p.BirthDate != null && p.BirthDate <= last);
        }
        if (earliestExclusive is { } first)
        {
            persons = persons.Where(p => p.BirthDate != null && p.BirthDate > first);
        }
        if (filter.Sex is { } sex)
        {
            persons = persons.Where(p => p.Sex == sex);
        }
        if (filter.HouseholdType is { } type)
        {
            persons = persons.Where(p => p.HouseholdType == type);
        }
        return persons;
    }

    /// <summary><c>p => p.Tags.Contains("|a|") || p.Tags.Contains("|b|") …</c>.</summary>
    private static Expression<Func<Person, bool>> AnyTag(IEnumerable<string> tags)
    {
        var p = Expression.Parameter(typeof(Person), "p");
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        Expression? body = null;
        foreach (var tag in tags)
        {
            // A closure member, so EF Core sends each marker as a parameter.
            var holder = new MarkerHolder(TemplateFilter.Marker(tag));
            var test = Expression.Call(Expression.Property(p, nameof(Person.Tags)), contains,
                Expression.Property(Expression.Constant(holder), nameof(MarkerHolder.Marker)));
            body = body is null ? test : Expression.OrElse(body, test);
        }
        return Expression.Lambda<Func<Person, bool>>(body ?? Expression.Constant(true), p);
    }

    private sealed record MarkerHolder(string Marker);

    /// <summary>The values and names a whole division's fill needs, read before the persons stream.</summary>
    private async Task<Filler> PrepareAsync(ReportTemplate template, string code, DateOnly today, bool unmasked, CancellationToken cancellationToken)
    {
        var values = await ValuesWithinAsync(template, code, cancellationToken);
        IEnumerable<string> grids = [];
        if (template.Columns.Any(TemplateCatalog.NeedsNames))
        {
            grids = await Matching(template, code, today).Select(p => p.GridCode).Distinct().ToListAsync(cancellationToken);
        }
        return await FillerAsync(template, grids, values, today, unmasked, cancellationToken);
    }

    /// <summary>The template's extra values within a division (none read when it has no extra column).</summary>
    private async Task<List<TemplateValue>> ValuesWithinAsync(ReportTemplate template, string code, CancellationToken cancellationToken)
    {
        if (!template.Columns.Any(c => c.IsExtra))
        {
            return [];
        }
        var upper = CivicGridDbContext.UpperBound(code);
        return await db.Set<TemplateValue>().AsNoTracking()
            .Where(v => v.TemplateId == template.Id && string.Compare(v.GridCode, code) >= 0 && string.Compare(v.GridCode, upper) < 0)
            .ToListAsync(cancellationToken);
    }

    private async Task<Filler> FillerAsync(ReportTemplate template, IEnumerable<string> grids, IEnumerable<TemplateValue> values, DateOnly today,
        bool unmasked, CancellationToken cancellationToken)
    {
        var names = template.Columns.Any(TemplateCatalog.NeedsNames)
            ? await divisionNames.ForGridsAsync(grids, cancellationToken)
            : new Dictionary<string, string>();
        var byPerson = values.GroupBy(v => v.PersonId)
            .ToDictionary(g => g.Key, g => g.ToDictionary(v => v.FieldKey, v => v.Value, StringComparer.Ordinal));
        return new Filler(template.Columns, names, byPerson, today, unmasked, p => directory.ViewOf(p, today), Clear);
    }

    /// <summary>One person's row, column by column.</summary>
    private sealed class Filler(
        IReadOnlyList<TemplateColumn> columns, IReadOnlyDictionary<string, string> names,
        Dictionary<Guid, Dictionary<string, string>> values, DateOnly today, bool unmasked,
        Func<Person, PersonView> masked, Func<Person, byte[]?, string?> clear)
    {
        private readonly bool _masksNumbers = !unmasked && columns.Any(c => c.Kind == ColumnKinds.Field
            && c.Key is TemplateCatalog.IdNumber or TemplateCatalog.Phone);

        private readonly string[] _required = [.. columns.Where(c => c.IsExtra && c.Required).Select(c => c.Key)];

        public TemplateRow Row(Person person)
        {
            var own = values.GetValueOrDefault(person.Id);
            var view = _masksNumbers ? masked(person) : null;
            var cells = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                cells[i] = Cell(columns[i], person, view, own);
            }
            return new TemplateRow(person.Id, person.GridCode, cells, [.. _required.Where(k => own is null || !own.ContainsKey(k))]);
        }

        public IDictionary<string, object?> Sheet(Person person)
        {
            var row = Row(person);
            var sheet = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                sheet[columns[i].Header] = row.Cells[i];
            }
            return sheet;
        }

        private object? Cell(TemplateColumn column, Person p, PersonView? view, Dictionary<string, string>? own) => column.Kind switch
        {
            ColumnKinds.Extra => TemplateRules.Cell(column, own?.GetValueOrDefault(column.Key)),
            ColumnKinds.Derived => column.Key switch
            {
                TemplateCatalog.Age => PersonRules.AgeOn(p.BirthDate, today),
                TemplateCatalog.GridName => names.GetValueOrDefault(p.GridCode),
                TemplateCatalog.Community => names.GetValueOrDefault(DivisionNames.CommunityOf(p.GridCode)),
                TemplateCatalog.Township => names.GetValueOrDefault(DivisionNames.TownshipOf(p.GridCode)),
                _ => null,
            },
            _ => column.Key switch
            {
                TemplateCatalog.Name => p.Name,
                TemplateCatalog.Sex => p.Sex == Sex.Male ? "男" : "女",
                // The birth date with the masked number's ends would give most of the number away: the month only, unless unmasked.
                TemplateCatalog.BirthDate => p.BirthDate?.ToString(unmasked ? "yyyy-MM-dd" : "yyyy-MM", CultureInfo.InvariantCulture),
                TemplateCatalog.Ethnicity => Ethnicities.NameOf(p.EthnicityCode),
                TemplateCatalog.HouseholdType => p.HouseholdType switch
                {
                    HouseholdType.Floating => "流动",
                    HouseholdType.Overseas => "境外",
                    _ => "户籍",
                },
                TemplateCatalog.IdNumber => unmasked ? clear(p, p.DocumentCipher) : view?.IdNumber,
                TemplateCatalog.Phone => unmasked ? clear(p, p.PhoneCipher) : view?.Phone,
                TemplateCatalog.Address => p.Address,
                TemplateCatalog.GridCode => p.GridCode,
                TemplateCatalog.Tags => string.Join("、", p.TagList),
                _ => null,
            },
        };
    }

    private string? Clear(Person person, byte[]? cipher)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return protector.Decrypt(cipher);
        }
        catch (CryptographicException)
        {
            LogUnreadable(logger, person.Id);
            return "******";
        }
    }

    private static string SheetName(string name)
    {
        var clean = new string([.. name.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\'))]).Trim();
        return clean.Length == 0 ? "一表通" : clean[..Math.Min(31, clean.Length)];
    }

    private static string Detail(Dictionary<string, object?> detail) => JsonSerializer.Serialize(detail, ReportTemplate.Json);

    internal static Error NotFound(Guid id) =>
        Error.NotFound("registry.template_not_found", string.Create(CultureInfo.InvariantCulture, $"没有报表模板 {id}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A protected field of person {PersonId} cannot be decrypted for a template export")]
    private static partial void LogUnreadable(ILogger logger, Guid personId);
}
