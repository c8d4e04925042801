using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CaseCoordination : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_CategoryCode",
                table: "cases");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcceptedAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AcceptedOnTime",
                table: "cases",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClosedAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeclineCount",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "DispatchCount",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DispatchedAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HandledBy",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HandledOnTime",
                table: "cases",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "cases",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OverdueCount",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReportedBackAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReturnCount",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SupervisedAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SupervisionCount",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateRadiusMeters",
                table: "case_categories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateWindowHours",
                table: "case_categories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "case_followers",
                columns: table => new
                {
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_followers", x => new { x.CaseId, x.UserId });
                    table.ForeignKey(
                        name: "FK_case_followers_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_summons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    DepartmentCode = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    SummonedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SummonedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CheckedInAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CheckedInBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OverdueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_summons", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_summons_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "01",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 0, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0101",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 0, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0102",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 0, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0103",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 0, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0104",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 0, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "02",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0201",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0202",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0203",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "03",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0301",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0302",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0303",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "04",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0401",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0402",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0403",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "05",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0501",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0502",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0503",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0504",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0505",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0506",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "06",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0601",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0602",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0603",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "07",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0701",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.UpdateData(
                table: "case_categories",
                keyColumn: "Code",
                keyValue: "0702",
                columns: new[] { "DuplicateRadiusMeters", "DuplicateWindowHours" },
                values: new object[] { 100, 72 });

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode_CreatedAt",
                table: "cases",
                columns: new[] { "CategoryCode", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_UserId",
                table: "case_followers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_case_summons_CaseId_DepartmentCode",
                table: "case_summons",
                columns: new[] { "CaseId", "DepartmentCode" });

            migrationBuilder.CreateIndex(
                name: "IX_case_summons_DueAt_open",
                table: "case_summons",
                column: "DueAt",
                filter: "\"CheckedInAt\" IS NULL AND \"OverdueAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_followers");

            migrationBuilder.DropTable(
                name: "case_summons");

            migrationBuilder.DropIndex(
                name: "IX_cases_CategoryCode_CreatedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "AcceptedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "AcceptedOnTime",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "DeclineCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "DispatchCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "DispatchedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "HandledBy",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "HandledOnTime",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "OverdueCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ReportedBackAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ReturnCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "SupervisedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "SupervisionCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "DuplicateRadiusMeters",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "DuplicateWindowHours",
                table: "case_categories");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode",
                table: "cases",
                column: "CategoryCode");
        }
    }
}
