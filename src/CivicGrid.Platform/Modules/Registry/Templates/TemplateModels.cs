using System.Text.Json;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>The body of <c>POST /report-templates</c> and <c>PUT /report-templates/{id}</c> (a PUT replaces the definition).</summary>
internal sealed record ReportTemplateInput(
    string? Name, string? Description, string? OwnerCode, string? DepartmentCode, TemplateFilterInput? Filter,
    IReadOnlyList<TemplateColumnInput>? Columns);

/// <summary>The filter as sent; every part optional.</summary>
internal sealed record TemplateFilterInput(
    IReadOnlyList<string>? TagsAll, IReadOnlyList<string>? TagsAny, int? AgeMin, int? AgeMax, Sex? Sex, HouseholdType? HouseholdType);

/// <summary>A column as sent; the header defaults to the catalog's for fields and derived values.</summary>
internal sealed record TemplateColumnInput(string? Kind, string? Key, string? Header, string? Type, IReadOnlyList<string>? Choices, bool? Required);

/// <summary>A template as the API shows it.</summary>
internal sealed record ReportTemplateView(
    Guid Id, string Name, string? Description, string OwnerCode, string? DepartmentCode, TemplateFilter Filter,
    IReadOnlyList<TemplateColumn> Columns, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static ReportTemplateView Of(ReportTemplate t) => new(
        t.Id, t.Name, t.Description, t.OwnerCode, t.DepartmentCode, t.Filter, t.Columns, t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.UpdatedBy);
}

/// <summary>One filled row: the cells in the template's column order, and the required extra fields still missing.</summary>
internal sealed record TemplateRow(Guid PersonId, string GridCode, IReadOnlyList<object?> Cells, IReadOnlyList<string> Missing);

/// <summary>A page of filled rows, with the columns they follow.</summary>
internal sealed record TemplateRows(
    Guid TemplateId, string Within, IReadOnlyList<TemplateColumn> Columns, IReadOnlyList<TemplateRow> Items, int Total, int Page,
    int PageSize);

/// <summary>A person still missing required extra fields.</summary>
internal sealed record TodoPerson(Guid PersonId, string Name, IReadOnlyList<string> Missing);

/// <summary>One grid's to-do: how many of its listed persons miss a required extra field, and (up to a limit) who.</summary>
internal sealed record TodoGrid(string GridCode, string? GridName, int Persons, int Missing, IReadOnlyList<TodoPerson> Items, bool Truncated);

/// <summary>The to-do list of a template within a division, per grid.</summary>
internal sealed record TemplateTodo(Guid TemplateId, string Within, IReadOnlyList<string> RequiredFields, int Missing, IReadOnlyList<TodoGrid> Grids);

/// <summary>The body of <c>PUT /report-templates/{id}/values/{personId}</c>: extra field key → value (null or empty clears it).</summary>
internal sealed record TemplateValuesInput(IReadOnlyDictionary<string, JsonElement>? Values);

/// <summary>A person's extra values in a template after a write.</summary>
internal sealed record TemplateValuesView(Guid TemplateId, Guid PersonId, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing);
