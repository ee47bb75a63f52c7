namespace Disclosure.Catalogue;

/// <summary>Parses one comparison of a rule: <c>1.2.1 + 1.2.2 &gt;= 1.1</c>.</summary>
internal static class RuleExpression
{
    private static readonly (string Token, Comparison Op)[] Operators =
    [
        ("<=", Comparison.LessOrEqual), (">=", Comparison.GreaterOrEqual), ("==", Comparison.Equal),
        ("<", Comparison.Less), (">", Comparison.Greater),
    ];

    /// <summary>How <paramref name="op"/> is written in an expression.</summary>
    public static string Token(Comparison op) => Array.Find(Operators, o => o.Op == op).Token;

    public static (List<(string Code, int Sign)> Left, Comparison Op, List<(string Code, int Sign)> Right)? Parse(string text)
    {
        foreach (var (token, op) in Operators)
        {
            var at = text.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            var left = Terms(text[..at]);
            var right = Terms(text[(at + token.Length)..]);
            return left is null || right is null ? null : (left, op, right);
        }
        return null;
    }

    private static List<(string, int)>? Terms(string side)
    {
        var terms = new List<(string, int)>();
        var sign = 1;
        foreach (var raw in side.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "+") { sign = 1; continue; }
            if (raw == "-") { sign = -1; continue; }
            terms.Add((raw, sign));
            sign = 1;
        }
        return terms.Count == 0 ? null : terms;
    }
}
