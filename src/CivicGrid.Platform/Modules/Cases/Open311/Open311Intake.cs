using System.Globalization;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Cases.Open311;

/// <summary>What a POST requests answers: the case number, and the case id as the token.</summary>
internal sealed record Open311Created(string ServiceRequestId, string Token);

/// <summary>
/// POST requests: reads the spec's form fields into <see cref="ReportCaseRequest"/> and hands it to
/// <see cref="ReportCase"/> (channel open311), whose caller is the API key's client. We take points
/// only: an <c>address_string</c> or <c>address_id</c> without <c>lat</c>/<c>long</c> is a 400. The
/// reporter's name, email, phone, device and account are accepted as the spec allows but not kept
/// (docs/adr/0011); <c>media_url</c> is appended to the description.
/// </summary>
internal sealed class Open311Intake(ReportCase reportCase, Open311Reads reads)
{
    /// <summary>The use case's field names as the spec names them.</summary>
    private static readonly Dictionary<string, string> SpecNames = new(StringComparer.Ordinal)
    {
        ["categoryCode"] = "service_code",
        ["lon"] = "long",
    };

    public async Task<Result<Open311Created>> HandleAsync(IFormCollection form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        var serviceCode = Field("service_code");
        var (lat, lon) = (Field("lat"), Field("long"));
        var media = Field("media_url");
        var errors = new FieldErrors()
            .When(serviceCode is null, "service_code", "缺少 service_code")
            .When(lat is null && lon is null && (Field("address_string") ?? Field("address_id")) is not null, "lat",
                "只接受坐标：请提供 lat 和 long（暂不能按地址定位）")
            .When(lat is null && lon is null && (Field("address_string") ?? Field("address_id")) is null, "lat", "缺少位置 lat 和 long")
            .When(lat is not null && Number(lat) is null, "lat", "lat 须为十进制纬度")
            .When(lon is not null && Number(lon) is null, "long", "long 须为十进制经度")
            .When(lat is null != (lon is null), lat is null ? "lat" : "long", "lat 与 long 须同时提供")
            .When(media is not null && !(Uri.TryCreate(media, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"),
                "media_url", "media_url 须为 http(s) 地址");
        if (serviceCode is not null && await reads.ServiceAsync(serviceCode, cancellationToken) is null)
        {
            errors.Add("service_code", $"未知的服务 {serviceCode}");
        }
        if (errors.ToError("open311.invalid", "服务请求无效") is { } invalid)
        {
            return invalid;
        }

        var description = Field("description") is { } text && media is not null ? $"{text}\n附图：{media}" : Field("description");
        var reported = await reportCase.HandleAsync(
            new ReportCaseRequest(serviceCode, Number(lon), Number(lat), description, Channel: CaseChannels.Open311), null, cancellationToken);
        if (!reported.IsSuccess)
        {
            var error = reported.Error!;
            return error.Fields is null ? error : error with
            {
                Fields = error.Fields.ToDictionary(f => SpecNames.GetValueOrDefault(f.Key, f.Key), f => f.Value),
            };
        }
        var created = reported.Value.Case;
        return new Open311Created(created.Number, created.Id.ToString());
    }

    private static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;
}
