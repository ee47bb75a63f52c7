using FluentValidation;

namespace Disclosure.Api.Infrastructure;

public static class QueryRules
{
    /// <summary>
    /// A query parameter given twice reaches the binder as its values joined by a comma (<c>?reporter=a&amp;reporter=b</c> is
    /// <c>a,b</c>), which no reporter id, catalogue id or period holds: refused as given twice rather than looked up and
    /// answered 404 for "a,b".
    /// </summary>
    public static IRuleBuilderOptions<T, string?> GivenOnce<T>(this IRuleBuilder<T, string?> rule, string name) =>
        rule.Must(value => value is null || !value.Contains(','))
            .WithMessage($"查询参数 {name} 只能给出一次、一个值：现在给了不止一次，或含有逗号。{name} must be given once, as one value: it was given more than once or holds a comma.");
}
