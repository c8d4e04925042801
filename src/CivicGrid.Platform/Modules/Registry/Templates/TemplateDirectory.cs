using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>
/// The templates' use cases: define, change and remove a template (registry.templates over its
/// division), list the templates the caller sees, and a grid worker's extra values for one person
/// (registry.write over the person's grid).
/// </summary>
internal sealed class TemplateDirectory(
    CivicGridDbContext db, ICaller caller, IAuditLog audit, IDivisionDirectory divisions, LocalTime time, TemplateFill fill)
{
    public async Task<IReadOnlyList<ReportTemplateView>> ListAsync(CancellationToken cancellationToken)
    {
        var templates = await db.Set<ReportTemplate>().AsNoTracking().OrderBy(t => t.OwnerCode).ThenBy(t => t.Name).ToListAsync(cancellationToken);
        return [.. templates.Select(ReportTemplateView.Of)];
    }

    public async Task<Result<ReportTemplateView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await fill.FindAsync(id, cancellationToken);
        return found.IsSuccess ? ReportTemplateView.Of(found.Value) : found.Error!;
    }

    public async Task<Result<ReportTemplateView>> CreateAsync(ReportTemplateInput? input, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(input, null, cancellationToken);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }
        var template = new ReportTemplate(Guid.CreateVersion7(time.UtcNow), time.UtcNow, caller.Name);
        Apply(template, valid.Value);
        db.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync("registry.template_created", template, cancellationToken);
        return ReportTemplateView.Of(template);
    }

    public async Task<Result<ReportTemplateView>> UpdateAsync(Guid id, ReportTemplateInput? input, CancellationToken cancellationToken)
    {
        var template = await db.Set<ReportTemplate>().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return TemplateFill.NotFound(id);
        }
        if (!caller.Can(Capabilities.RegistryTemplates, template.OwnerCode))
        {
            return Error.Forbidden("registry.forbidden", "无权修改该报表模板");
        }
        var valid = await ValidateAsync(input, id, cancellationToken);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }
        Apply(template, valid.Value);
        template.Touch(time.UtcNow, caller.Name);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync("registry.template_updated", template, cancellationToken);
        return ReportTemplateView.Of(template);
    }

    public async Task<Result<bool>> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var template = await db.Set<ReportTemplate>().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return TemplateFill.NotFound(id);
        }
        if (!caller.Can(Capabilities.RegistryTemplates, template.OwnerCode))
        {
            return Error.Forbidden("registry.forbidden", "无权删除该报表模板");
        }
        // Its extra values go with it, wherever they lie (the cascade, not the caller's scope).
        db.Remove(template);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync("registry.template_deleted", template, cancellationToken);
        return true;
    }

    /// <summary>A grid worker fills (or clears, with null) extra fields of one listed person.</summary>
    public async Task<Result<TemplateValuesView>> SetValuesAsync(Guid id, Guid personId, TemplateValuesInput? input,
        CancellationToken cancellationToken)
    {
        var found = await fill.FindAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var template = found.Value;
        var person = await db.Set<Person>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (person is null)
        {
            return Error.NotFound("registry.person_not_found", $"没有人员 {personId}");
        }
        if (!caller.Can(Capabilities.RegistryWrite, person.GridCode))
        {
            return Error.Forbidden("registry.forbidden", "无权填写该人员的信息");
        }
        if (!person.GridCode.StartsWith(template.OwnerCode, StringComparison.Ordinal) || !template.Filter.Matches(person, time.Today))
        {
            return Error.Conflict("registry.template_not_applicable", $"该人员不在报表“{template.Name}”的名单内");
        }
        var extras = template.Columns.Where(c => c.IsExtra).ToDictionary(c => c.Key, StringComparer.Ordinal);
        var errors = new FieldErrors();
        if (input?.Values is not { Count: > 0 } given)
        {
            return errors.Add("values", "须填写至少一个补充字段").ToError()!;
        }
        var normalized = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, raw) in given)
        {
            if (!extras.TryGetValue(key, out var column))
            {
                errors.Add("values." + key, $"报表没有补充字段 {key}");
                continue;
            }
            normalized[key] = TemplateRules.NormalizeValue(column, raw, errors);
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        // By key, not by the caller's scope: a value written while the person lived in another grid is his still.
        var existing = await db.Set<TemplateValue>().IgnoreQueryFilters()
            .Where(v => v.TemplateId == template.Id && v.PersonId == person.Id).ToListAsync(cancellationToken);
        var now = time.UtcNow;
        foreach (var (key, value) in normalized)
        {
            var row = existing.SingleOrDefault(v => v.FieldKey == key);
            if (value is null)
            {
                if (row is not null)
                {
                    db.Remove(row);
                    existing.Remove(row);
                }
                continue;
            }
            if (row is null)
            {
                row = new TemplateValue(template.Id, person.Id, key);
                db.Add(row);
                existing.Add(row);
            }
            row.Value = value;
            row.UpdatedAt = now;
            row.UpdatedBy = caller.Name;
        }
        // The values follow the person's grid: the grid that lists him is the one that sees them.
        existing.ForEach(v => v.GridCode = person.GridCode);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("registry.template_value_conflict", "该人员的补充信息刚被他人修改，请刷新后重试");
        }
        var values = existing.ToDictionary(v => v.FieldKey, v => v.Value, StringComparer.Ordinal);
        return new TemplateValuesView(template.Id, person.Id, values,
            [.. extras.Values.Where(c => c.Required && !values.ContainsKey(c.Key)).Select(c => c.Key)]);
    }

    private async Task<Result<ValidTemplate>> ValidateAsync(ReportTemplateInput? input, Guid? self, CancellationToken cancellationToken)
    {
        var validated = TemplateRules.Validate(input);
        if (!validated.IsSuccess)
        {
            return validated;
        }
        var valid = validated.Value;
        if (await divisions.FindAsync(valid.OwnerCode, cancellationToken) is null)
        {
            return new FieldErrors().Add("ownerCode", $"没有区划或网格 {valid.OwnerCode}").ToError()!;
        }
        if (!caller.Can(Capabilities.RegistryTemplates, valid.OwnerCode))
        {
            return Error.Forbidden("registry.forbidden", $"无权为 {valid.OwnerCode} 定义报表模板");
        }
        if (await db.Set<ReportTemplate>().IgnoreQueryFilters()
                .AnyAsync(t => t.OwnerCode == valid.OwnerCode && t.Name == valid.Name && t.Id != self, cancellationToken))
        {
            return Error.Conflict("registry.template_duplicate", $"该区划已有名为“{valid.Name}”的报表模板");
        }
        return valid;
    }

    private static void Apply(ReportTemplate template, ValidTemplate valid)
    {
        template.Name = valid.Name;
        template.Description = valid.Description;
        template.OwnerCode = valid.OwnerCode;
        template.DepartmentCode = valid.DepartmentCode;
        template.Filter = valid.Filter;
        template.Columns = valid.Columns;
    }

    private async Task AuditAsync(string action, ReportTemplate template, CancellationToken cancellationToken)
    {
        var detail = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = template.Name,
            ["ownerCode"] = template.OwnerCode,
            ["columns"] = template.Columns.Count,
        }, ReportTemplate.Json);
        await audit.AppendAsync(new AuditEntry(caller.Name, action, $"report-template:{template.Id}", detail, caller.Ip), cancellationToken);
    }
}
