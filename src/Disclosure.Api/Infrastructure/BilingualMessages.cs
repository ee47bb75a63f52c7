using System.Globalization;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// FluentValidation's own messages (a rule given no message of its own: <c>NotEmpty</c>, <c>MaximumLength</c>, <c>IsInEnum</c> …)
/// in Chinese first and then in English, as every refusal a departmental system shows its users, whatever culture the server runs in.
/// </summary>
public sealed class BilingualMessages : FluentValidation.Resources.LanguageManager
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN"), English = CultureInfo.GetCultureInfo("en");

    public override string GetString(string key, CultureInfo? culture = null)
    {
        // FluentValidation's Chinese for a member left out reads as a programmer's (“不能为Null”): said as a form says it.
        if (key == "NotNullValidator") return "须填写 {PropertyName}。'{PropertyName}' must not be empty.";
        var english = base.GetString(key, English);
        var chinese = base.GetString(key, Chinese);
        return string.IsNullOrEmpty(chinese) || chinese == english ? english : chinese + english;
    }
}
