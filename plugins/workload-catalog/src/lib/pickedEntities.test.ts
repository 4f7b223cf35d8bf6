import { leafFieldsFromPickers } from './pickedEntities';

describe('leafFieldsFromPickers', () => {
  it('keeps the owner as a full entity ref and the catalog as the System name', () => {
    expect(
      leafFieldsFromPickers({
        owner: 'group:default/ml-platform',
        system: 'system:default/ml-inference',
      }),
    ).toEqual({
      owner: 'group:default/ml-platform',
      serviceCatalog: 'ml-inference',
    });
  });

  it('completes short refs as the pickers allow them (a typed name)', () => {
    expect(
      leafFieldsFromPickers({ owner: 'ml-platform', system: 'shop' }),
    ).toEqual({
      owner: 'group:default/ml-platform',
      serviceCatalog: 'shop',
    });
    expect(leafFieldsFromPickers({ owner: 'user:jane' })).toEqual({
      owner: 'user:default/jane',
    });
  });

  it('sets nothing for empty pickers, non-strings, refs of another kind, or broken refs', () => {
    expect(leafFieldsFromPickers({})).toEqual({});
    expect(leafFieldsFromPickers({ owner: '', system: '  ' })).toEqual({});
    expect(leafFieldsFromPickers({ owner: 42, system: ['x'] })).toEqual({});
    expect(leafFieldsFromPickers({ system: 'component:default/x' })).toEqual(
      {},
    );
    expect(leafFieldsFromPickers({ owner: 'group:' })).toEqual({});
  });
});
