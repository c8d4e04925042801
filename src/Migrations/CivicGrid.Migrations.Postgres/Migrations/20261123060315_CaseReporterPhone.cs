using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CaseReporterPhone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "ReporterPhoneCipher",
                table: "cases",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ReporterPhoneIndex",
                table: "cases",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases",
                column: "ReporterPhoneIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ReporterPhoneCipher",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ReporterPhoneIndex",
                table: "cases");
        }
    }
}
