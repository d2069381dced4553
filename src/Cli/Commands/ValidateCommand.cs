using System.CommandLine;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim validate</c>: loads and compiles scenarios, reporting every located problem.</summary>
internal sealed class ValidateCommand : Command
{
    public Argument<string[]> Scenarios { get; } = new("scenarios") { Description = "One or more scenario files.", Arity = ArgumentArity.OneOrMore };
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private ValidateCommand()
        : base("validate",
            "Check scenarios: exit 0 when all are valid (warnings are printed), else print every located error (file:line:column: field.path: message) and exit 2.\n" +
            "Example: districtsim validate scenarios/*.yaml")
    {
        Add(Scenarios);
        Add(Verbose);
    }

    public static ValidateCommand Create(CliEnvironment environment)
    {
        var command = new ValidateCommand();
        command.SetAction(parse => new ValidateAction(parse, command, environment).Execute());
        return command;
    }
}

internal sealed class ValidateAction(ParseResult parse, ValidateCommand definition, CliEnvironment environment)
{
    public int Execute() => CommandExecution.Execute(environment, parse.GetValue(definition.Verbose), Run);

    private int Run()
    {
        var files = parse.GetRequiredValue(definition.Scenarios);
        var invalid = 0;
        foreach (var file in files)
        {
            try
            {
                ScenarioInput.Load(environment, file);
                environment.Out.WriteLine($"{file}: valid");
            }
            catch (UsageException e)
            {
                invalid++;
                environment.Error.WriteLine(e.Message);
            }
        }
        if (invalid > 0)
        {
            environment.Error.WriteLine($"{invalid} of {files.Length} scenario(s) invalid.");
            return ExitCodes.Usage;
        }
        return ExitCodes.Success;
    }
}
